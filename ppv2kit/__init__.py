"""ppv2kit: AWS End User Messaging SMS (pinpoint-sms-voice-v2) comfortable in JupyterLab."""

from .sandbox import Sandbox
from .sms import segments

__all__ = ["Sandbox", "segments"]
__version__ = "0.1.0"
