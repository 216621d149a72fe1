"""What the carrier does with a message: one table of outcome rates, one draw per destination.

Real traffic is not all delivered. The sandbox decides each message's fate from the line behind
its destination (:mod:`~ppv2kit.sandbox.carriers`) and a draw seeded by the destination number,
so the same number always ends the same way and a test can pick a number for the outcome it
needs (:func:`find_number`):

- a number no country has assigned ends ``INVALID``; a landline can't receive a text or an MMS
  (``INVALID`` too) but answers a call;
- otherwise the draw falls into one of the failure rates of :data:`TEXT_RATES` /
  :data:`VOICE_RATES` (per 10,000 destinations, ``"*"`` for any country, a country's row
  overriding single entries, :data:`CARRIER_RATES` overriding a country's for one network, and
  :data:`LINE_FACTORS` scaling the rates of VoIP lines) or, for the rest, succeeds;
- :data:`SLOW_PER_10000` of destinations sit in a carrier queue for :data:`SLOW_SECONDS` before
  the final receipt (a ``*_PENDING`` event first); a ``TimeToLive`` shorter than that expires;
- ``UNKNOWN`` messages get no final receipt: the service reports ``UNKNOWN`` after 72 hours.

The simulator destination numbers keep their documented behaviour (reference §4.4). The rates are
the sandbox's, chosen so that a month of traffic shows a few percent of failures of several kinds;
they are not AWS's figures. Choices: ADR 0023.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import carriers, catalog

PER = 10_000
# Failures per 10,000 text (and media) destinations, by country ("*": any country). Ordered:
# the draw walks each row in this order, so a number's outcome moves only if its rate changes.
TEXT_RATES: Mapping[str, Mapping[str, int]] = {
    "*": {
        "UNREACHABLE": 120,  # phone off or out of coverage, after the carrier accepted it
        "CARRIER_UNREACHABLE": 40,  # a temporary error in the carrier's network
        "BLOCKED": 40,  # the handset or the subscriber's plan blocks it
        "CARRIER_BLOCKED": 30,  # the carrier's filter judged it malicious or abusive
        "SPAM": 20,  # the carrier's filter judged it unsolicited commercial content
        "UNKNOWN": 60,  # no final receipt from the carrier
    },
    # Unregistered and A2P traffic filtering makes US carriers block more.
    "US": {"CARRIER_BLOCKED": 60, "SPAM": 50},
    # Templates not registered with the DLT platform are dropped by Indian carriers.
    "IN": {"CARRIER_BLOCKED": 400, "UNKNOWN": 150},
}
# One network worse than the others of its country (the demo's GB traffic shows it).
CARRIER_RATES: Mapping[tuple[str, str], Mapping[str, int]] = {
    ("GB", "Three"): {"CARRIER_UNREACHABLE": 1500, "UNKNOWN": 200},
}
# Failures per 10,000 calls, by country.
VOICE_RATES: Mapping[str, Mapping[str, int]] = {
    "*": {"BUSY": 300, "NO_ANSWER": 800, "FAILED": 80},
}
# Rates of these line types are multiplied (VoIP numbers are often abandoned or app-only).
LINE_FACTORS: Mapping[str, int] = {"VOIP": 3}
SLOW_PER_10000 = 300
SLOW_SECONDS = (30.0, 600.0)  # the queue's shortest and longest wait
NO_RECEIPT_SECONDS = 72 * 3600  # the service reports UNKNOWN after 72 hours without a receipt

# Destinations that can't receive the channel at all, by line type.
CANNOT_RECEIVE: Mapping[str, frozenset[str]] = {
    "TEXT": frozenset({"LANDLINE", "INVALID"}),
    "MEDIA": frozenset({"LANDLINE", "INVALID"}),
    "VOICE": frozenset({"INVALID"}),
}


@dataclass(frozen=True)
class Outcome:
    """How a message to one destination ends: its final status and when the receipt comes."""

    status: str  # the final messageStatus: DELIVERED (COMPLETED for calls) or a failure
    wait: float  # seconds the carrier queues it before the final receipt (0: at once)
    line: carriers.Line

    @property
    def queued(self) -> bool:
        """True when the carrier holds the message long enough to report it pending first."""
        return self.wait > 0


def _rates(channel: str, line: carriers.Line, country: str | None) -> dict[str, int]:
    table = VOICE_RATES if channel == "VOICE" else TEXT_RATES
    rates = {**table["*"], **table.get(country or "", {})}
    if channel != "VOICE" and line.carrier:
        rates.update(CARRIER_RATES.get((country or "", line.carrier), {}))
    factor = LINE_FACTORS.get(line.type, 1)
    return {status: rate * factor for status, rate in rates.items()}


def _draw(number: str, salt: str) -> float:
    """A number's draw in [0, 1): the same for the same number and salt, every time."""
    return carriers.digest(number, salt) / 2**32


def outcome(channel: str, number: str, country: str | None) -> Outcome:
    """How a ``channel`` (TEXT, MEDIA or VOICE) message to ``number`` in ``country`` ends."""
    line = carriers.line(number)
    success = "COMPLETED" if channel == "VOICE" else "DELIVERED"
    if catalog.is_simulator_destination(number):
        failed = number in catalog.SIMULATOR_FAILURE
        failure = "FAILED" if channel == "VOICE" else "UNREACHABLE"
        return Outcome(failure if failed else success, 0.0, line)
    if line.type in CANNOT_RECEIVE[channel]:
        return Outcome("FAILED" if channel == "VOICE" else "INVALID", 0.0, line)
    family = "VOICE" if channel == "VOICE" else "TEXT"
    slow = _draw(number, f"{family}/slow:") * PER < SLOW_PER_10000
    wait = 0.0
    if slow:
        low, high = SLOW_SECONDS
        wait = round(low + _draw(number, f"{family}/wait:") * (high - low), 1)
    point = _draw(number, f"{family}:") * PER
    for status, rate in _rates(channel, line, country).items():
        if point < rate:
            return Outcome(status, wait, line)
        point -= rate
    return Outcome(success, wait, line)


def find_number(
    channel: str,
    status: str,
    prefix: str,
    digits: int,
    country: str,
    *,
    queued: bool | None = None,
) -> str:
    """The first number ``prefix`` + ``digits`` digits (of ``country``) whose ``channel`` message
    ends in ``status``, and is queued or not when ``queued`` says: for tests and seeds that need
    a given outcome."""
    for n in range(min(10**digits, 1_000_000)):
        number = f"{prefix}{n:0{digits}d}"
        found = outcome(channel, number, country)
        if found.status == status and (queued is None or found.queued == queued):
            return number
    raise LookupError(f"no {prefix}… number ends {channel} {status}")
