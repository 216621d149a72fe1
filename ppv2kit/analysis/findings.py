"""Findings: what an audit of the inventory should flag, each with a severity and a fix.

Every check is a small function of the :class:`~ppv2kit.analysis.Inventory` that yields
:class:`Finding`\\ s; :func:`inventory_findings` runs them all and :func:`findings_frame` makes
the table. Severity says what is at stake: ``high`` (messages or numbers can be lost: a
production number one click from release, inbound replies with nowhere to go, test numbers in
production traffic), ``medium`` (compliance or visibility gaps), ``low`` (tidiness, cost),
``info``.

"Production" is read from tags (``environment``/``env``/``stage`` = ``prod``/``production``)
on the resource or its pool; a pool with deletion protection on is also taken as production.
Resources tagged ``test``, ``staging``, ``dev``... are never production.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from .identities import DEFAULT_LIST, PHONE_NUMBER, identities
from .optouts import list_users

if TYPE_CHECKING:
    from .inventory import Inventory

SEVERITIES = ("high", "medium", "low", "info")
SEVERITY = pd.CategoricalDtype(list(SEVERITIES), ordered=True)
_ENV_KEYS = ("environment", "env", "stage")
_PRODUCTION = {"prod", "production", "live"}


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem an audit found, on one resource (built by keyword).

    Attributes
    ----------
    severity:
        ``high``, ``medium``, ``low`` or ``info``.
    code:
        Stable identifier of the check (``DELETION_PROTECTION_OFF``...).
    resource_type:
        ``phone-number``, ``pool``, ``sender-id``, ``configuration-set``, ``opt-out-list``.
    resource_id:
        The resource's ID or name.
    resource_arn:
        Its ARN (empty where the resource has none).
    region, account:
        Where it lives.
    message:
        What is wrong, in plain words.
    fix:
        How to fix it (the API call or console step).
    resource_name:
        Its ``Name`` tag, when it has one.
    """

    severity: str
    code: str
    resource_type: str
    resource_id: str
    resource_arn: str
    region: str
    account: str
    message: str
    fix: str
    resource_name: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}")


def _tags(value: Any) -> dict[str, str]:
    return value if isinstance(value, dict) else {}


def environment(tags: Any) -> bool | None:
    """True for production tags, False for other environment tags, None when untagged."""
    for key, value in _tags(tags).items():
        if key.lower() in _ENV_KEYS:
            return str(value).lower() in _PRODUCTION
    return None


def _name(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _pool_production(pool: dict[str, Any]) -> bool:
    env = environment(pool.get("Tags"))
    return env if env is not None else bool(pool.get("DeletionProtectionEnabled"))


def _pools(inv: Inventory) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(p["Account"], p["Region"], p["PoolId"]): p for p in inv.pools.to_dict("records")}


def check_deletion_protection(inv: Inventory) -> Iterator[Finding]:
    """Phone numbers, pools and sender IDs that can be released or deleted by one call."""
    pools = _pools(inv)
    for n in inv.phone_numbers.to_dict("records"):
        if n["DeletionProtectionEnabled"] is not False:
            continue
        pool = pools.get((n["Account"], n["Region"], n.get("PoolId")))
        env = environment(n.get("Tags"))
        in_production_pool = pool is not None and _pool_production(pool)
        if in_production_pool and env is not False:
            label = _name(pool.get("Name")) or pool["PoolId"]
            severity, where = "high", f" in production pool {label}"
        elif env is True:
            severity, where = "high", " tagged production"
        elif env is False:
            severity, where = "low", f" (tagged {_env_value(n.get('Tags'))})"
        else:
            severity, where = "medium", ""
        yield Finding(
            severity=severity,
            code="DELETION_PROTECTION_OFF",
            resource_type="phone-number",
            resource_id=n["PhoneNumberId"],
            resource_arn=n["PhoneNumberArn"],
            region=n["Region"],
            account=n["Account"],
            message=(
                f"{n['PhoneNumber']} ({n['NumberType']}){where} has deletion protection off: one "
                "ReleasePhoneNumber call loses it for good."
            ),
            fix=(
                "UpdatePhoneNumber DeletionProtectionEnabled=true (a number in a pool: remove it "
                "from the pool first, or protect it before adding it)."
            ),
            resource_name=_name(n.get("Name")),
        )
    for p in inv.pools.to_dict("records"):
        if p["DeletionProtectionEnabled"] is False and environment(p.get("Tags")) is not False:
            yield Finding(
                severity="medium",
                code="POOL_DELETION_PROTECTION_OFF",
                resource_type="pool",
                resource_id=p["PoolId"],
                resource_arn=p["PoolArn"],
                region=p["Region"],
                account=p["Account"],
                message=f"Pool {_name(p.get('Name')) or p['PoolId']} has deletion protection off.",
                fix="UpdatePool DeletionProtectionEnabled=true.",
                resource_name=_name(p.get("Name")),
            )


def _env_value(tags: Any) -> str:
    return next((v for k, v in _tags(tags).items() if k.lower() in _ENV_KEYS), "")


def check_numbers_outside_pools(inv: Inventory) -> Iterator[Finding]:
    """Active phone numbers in no pool: no failover, and each configured on its own."""
    for n in inv.phone_numbers.to_dict("records"):
        if isinstance(n.get("PoolId"), str) and n["PoolId"]:
            continue
        yield Finding(
            severity="low",
            code="NUMBER_OUTSIDE_POOL",
            resource_type="phone-number",
            resource_id=n["PhoneNumberId"],
            resource_arn=n["PhoneNumberArn"],
            region=n["Region"],
            account=n["Account"],
            message=(
                f"{n['PhoneNumber']} ({n['IsoCountryCode']} {n['NumberType']}) is in no pool: "
                "sends through it have no fallback and its opt-out list, keywords and two-way "
                "settings are kept apart from every other number's."
            ),
            fix=(
                "AssociateOriginationIdentity to a pool of the same message type and settings, or "
                "release it if nothing sends from it."
            ),
            resource_name=_name(n.get("Name")),
        )


def check_two_way_channels(inv: Inventory) -> Iterator[Finding]:
    """Two-way messaging switched on with no channel: inbound replies go nowhere."""
    for kind, frame, id_col, arn_col in (
        ("phone-number", inv.phone_numbers, "PhoneNumberId", "PhoneNumberArn"),
        ("pool", inv.pools, "PoolId", "PoolArn"),
    ):
        for r in frame.to_dict("records"):
            channel = r.get("TwoWayChannelArn")
            if r["TwoWayEnabled"] is True and not (isinstance(channel, str) and channel):
                yield Finding(
                    severity="high",
                    code="TWO_WAY_WITHOUT_CHANNEL",
                    resource_type=kind,
                    resource_id=r[id_col],
                    resource_arn=r[arn_col],
                    region=r["Region"],
                    account=r["Account"],
                    message=(
                        f"Two-way messaging is on for {kind} {_name(r.get('Name')) or r[id_col]} "
                        "but no TwoWayChannelArn is set: replies are received and dropped."
                    ),
                    fix=(
                        "Set TwoWayChannelArn (an SNS topic or Amazon Connect) and "
                        "TwoWayChannelRole, or switch two-way off."
                    ),
                    resource_name=_name(r.get("Name")),
                )


def check_self_managed_opt_outs(inv: Inventory) -> Iterator[Finding]:
    """Pools and unpooled numbers that manage opt-outs themselves: STOP is the app's job."""
    ids = identities(inv)
    unpooled = ids[(ids["IdentityType"] == PHONE_NUMBER) & ids["PoolId"].isna()]
    managed_numbers = set(unpooled.loc[unpooled["SelfManagedOptOutsEnabled"] == True, "Arn"])  # noqa: E712
    for kind, frame, id_col, arn_col in (
        ("pool", inv.pools, "PoolId", "PoolArn"),
        ("phone-number", inv.phone_numbers, "PhoneNumberId", "PhoneNumberArn"),
    ):
        for r in frame.to_dict("records"):
            if r["SelfManagedOptOutsEnabled"] is not True:
                continue
            if kind == "phone-number" and r[arn_col] not in managed_numbers:
                continue  # a pooled number answers to its pool's setting, reported there
            yield Finding(
                severity="medium",
                code="SELF_MANAGED_OPT_OUTS",
                resource_type=kind,
                resource_id=r[id_col],
                resource_arn=r[arn_col],
                region=r["Region"],
                account=r["Account"],
                message=(
                    f"{kind.replace('-', ' ').capitalize()} {_name(r.get('Name')) or r[id_col]} "
                    f"manages opt-outs itself: STOP replies are not added to opt-out list "
                    f"{r['OptOutListName']}, so your application must record and honour them."
                ),
                fix=(
                    "Confirm the application processes inbound STOP replies (two-way channel) and "
                    "suppresses those recipients, or set SelfManagedOptOutsEnabled=false."
                ),
                resource_name=_name(r.get("Name")),
            )


def check_event_destinations(inv: Inventory) -> Iterator[Finding]:
    """Configuration sets that deliver no events: sends naming them leave no delivery trail."""
    for c in inv.configuration_sets.to_dict("records"):
        destinations = c.get("EventDestinations")
        destinations = destinations if isinstance(destinations, list) else []
        enabled = [d for d in destinations if d.get("Enabled")]
        if enabled:
            continue
        if not destinations:
            code, words = "CONFIG_SET_WITHOUT_EVENT_DESTINATION", "has no event destination"
        else:
            code, words = "CONFIG_SET_DESTINATIONS_DISABLED", "has only disabled event destinations"
        env = environment(c.get("Tags"))
        yield Finding(
            severity="low" if env is False else "medium",
            code=code,
            resource_type="configuration-set",
            resource_id=c["ConfigurationSetName"],
            resource_arn=c["ConfigurationSetArn"],
            region=c["Region"],
            account=c["Account"],
            message=(
                f"Configuration set {c['ConfigurationSetName']} {words}: messages sent with it "
                "produce no delivery events, so failures go unseen."
            ),
            fix=(
                "CreateEventDestination (CloudWatch Logs, Firehose or SNS) with TEXT_ALL / "
                "VOICE_ALL, or UpdateEventDestination Enabled=true."
            ),
            resource_name=_name(c.get("Name")),
        )


def check_unused_opt_out_lists(inv: Inventory) -> Iterator[Finding]:
    """Opt-out lists no phone number, pool or sender ID uses (``Default`` excepted)."""
    users = list_users(inv)
    used = set(zip(users["Account"], users["Region"], users["OptOutListName"], strict=True))
    sizes = inv.opted_out_numbers.groupby(
        ["Account", "Region", "OptOutListName"], observed=True
    ).size()
    for o in inv.opt_out_lists.to_dict("records"):
        key = (o["Account"], o["Region"], o["OptOutListName"])
        if o["OptOutListName"] == DEFAULT_LIST or key in used:
            continue
        size = int(sizes.get(key, 0))
        yield Finding(
            severity="low",
            code="UNUSED_OPT_OUT_LIST",
            resource_type="opt-out-list",
            resource_id=o["OptOutListName"],
            resource_arn=o["OptOutListArn"],
            region=o["Region"],
            account=o["Account"],
            message=(
                f"Opt-out list {o['OptOutListName']} ({size:,} numbers) is used by no phone number "
                "or pool: its opt-outs protect nobody. If they were meant to, those recipients can "
                "be messaged today."
            ),
            fix=(
                "Attach it (UpdatePhoneNumber/UpdatePool OptOutListName), copy its numbers to the "
                "list in use (PutOptedOutNumber), or DeleteOptOutList."
            ),
            resource_name=_name(o.get("Name")),
        )


def check_simulators_in_production(inv: Inventory) -> Iterator[Finding]:
    """Simulator numbers in production pools: sends through the pool may pick a test number."""
    pools = _pools(inv)
    for n in inv.phone_numbers.to_dict("records"):
        if n["NumberType"] != "SIMULATOR":
            continue
        pool = pools.get((n["Account"], n["Region"], n.get("PoolId")))
        if pool is None or not _pool_production(pool):
            continue
        yield Finding(
            severity="high",
            code="SIMULATOR_IN_PRODUCTION_POOL",
            resource_type="phone-number",
            resource_id=n["PhoneNumberId"],
            resource_arn=n["PhoneNumberArn"],
            region=n["Region"],
            account=n["Account"],
            message=(
                f"Simulator number {n['PhoneNumber']} is in production pool "
                f"{_name(pool.get('Name')) or pool['PoolId']}: it can only reach simulator "
                "destinations, so real recipients routed through it are refused."
            ),
            fix="DisassociateOriginationIdentity it from the pool.",
            resource_name=_name(n.get("Name")),
        )


CHECKS: tuple[Callable[[Inventory], Iterator[Finding]], ...] = (
    check_deletion_protection,
    check_two_way_channels,
    check_simulators_in_production,
    check_self_managed_opt_outs,
    check_event_destinations,
    check_unused_opt_out_lists,
    check_numbers_outside_pools,
)


def inventory_findings(inv: Inventory) -> list[Finding]:
    """Run every check of :data:`CHECKS` on ``inv``; the findings, most severe first."""
    found = [f for check in CHECKS for f in check(inv)]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(found, key=lambda f: (order[f.severity], f.code, f.region, f.resource_id))


FINDING_COLUMNS = {
    "Severity": SEVERITY,
    "Code": "string",
    "ResourceType": "string",
    "ResourceId": "string",
    "ResourceName": "string",
    "Resource": "string",
    "Region": "string",
    "Account": "string",
    "Message": "string",
    "Fix": "string",
    "ResourceArn": "string",
}


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """The findings as a table (``Severity`` an ordered category), most severe first.

    ``Resource`` is the resource's ``Name`` tag, or its ID when it has none.
    """
    names = {
        "Severity": "severity",
        "Code": "code",
        "ResourceType": "resource_type",
        "ResourceId": "resource_id",
        "ResourceName": "resource_name",
        "Region": "region",
        "Account": "account",
        "Message": "message",
        "Fix": "fix",
        "ResourceArn": "resource_arn",
    }
    rows = [{col: asdict(f)[attr] for col, attr in names.items()} for f in findings]
    for row in rows:
        row["Resource"] = row["ResourceName"] or row["ResourceId"]
    out = pd.DataFrame(rows, columns=list(FINDING_COLUMNS)).astype(FINDING_COLUMNS)
    return out.sort_values(["Severity", "Code", "Region"], kind="stable").reset_index(drop=True)


def findings_counts(findings: list[Finding]) -> pd.DataFrame:
    """How many findings of each code and severity (a one-glance summary)."""
    df = findings_frame(findings)
    out = df.groupby(["Severity", "Code"], observed=True).size().rename("Findings").reset_index()
    out["Findings"] = out["Findings"].astype("Int64")
    return out
