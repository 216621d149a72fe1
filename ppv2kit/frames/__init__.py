"""Frames: every paginated operation of the API as a typed DataFrame.

``plan`` says what a listing's frame looks like (from the model alone), ``fetch`` runs the
paginators concurrently, ``pull`` fans out over accounts, regions and parents, ``build`` makes the
typed frame, ``dtypes`` holds the one botocore-type -> dtype table, ``parents`` the one table of
which listing supplies which parent, and ``methods`` generates the kit's listing methods.
"""

from .dtypes import DTYPES
from .plan import Column, FramePlan, plan, plans
from .pull import FrameWarning

__all__ = ["DTYPES", "Column", "FramePlan", "FrameWarning", "plan", "plans"]
