"""An offline, faithful emulator of pinpoint-sms-voice-v2, reached through unmodified boto3."""

from .engine import NotEmulated, Sandbox
from .errors import ServiceError

__all__ = ["NotEmulated", "Sandbox", "ServiceError"]
