"""ppv2kit: AWS End User Messaging SMS (pinpoint-sms-voice-v2) comfortable in JupyterLab."""

from ._version import __version__ as __version__
from .connection import connect
from .kit import Kit
from .sandbox import Sandbox
from .sms import segments

__all__ = ["Kit", "Sandbox", "connect", "segments"]
