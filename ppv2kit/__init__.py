"""ppv2kit: AWS End User Messaging SMS (pinpoint-sms-voice-v2) comfortable in JupyterLab."""

__version__ = "0.1.0"

from .connection import connect
from .kit import Kit
from .sandbox import Sandbox
from .sms import segments

__all__ = ["Kit", "Sandbox", "connect", "segments"]
