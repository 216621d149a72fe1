"""The ``large`` seed: one account at benchmark scale in five regions.

Per region: 600 phone numbers (four groups of 150, each group's numbers in four pools of 30 and
30 outside pools), 16 pools, five opt-out lists of 4,200 opted-out numbers (105,000 in all), eight
configuration sets (six with an event destination), eight sender IDs, custom keywords on every
number and pool. Each group's
first numbers, its pools, lists, sets and sender IDs are made through the API; the other
numbers are bulk copies of a requested number and the opted-out numbers bulk entries
(:class:`~.builder.Builder`), since tens of thousands of calls would take minutes. No traffic.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .builder import Builder, Numbers, Tags, tag_list
from .cache import install

if TYPE_CHECKING:
    from ..engine import Sandbox

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-west-2", "ap-southeast-2")
POOLS_PER_GROUP = 4
NUMBERS_PER_POOL = 30
UNPOOLED_PER_GROUP = 30
OPTED_OUT_PER_LIST = 4_200
CONFIGURATION_SETS = 8
SENDER_ID_COUNTRIES = ("GB", "DE", "FR", "IE", "ES", "IT", "NL", "SE")


@dataclass(frozen=True)
class Group:
    """One country, number type and purpose: where its numbers and its customers' come from."""

    country: str
    number_type: str
    message_type: str
    capabilities: tuple[str, ...]
    prefix: str  # the copies' numbers: this prefix, then ``digits`` random digits
    customers: str  # the opted-out numbers: this prefix, then ``digits`` random digits
    digits: int


def _groups(region: str) -> tuple[Group, ...]:
    if region.startswith("us-"):
        return (
            Group("US", "TOLL_FREE", "TRANSACTIONAL", ("SMS", "VOICE"), "+1833", "+1206", 7),
            Group("US", "TEN_DLC", "TRANSACTIONAL", ("SMS",), "+1312", "+1212", 7),
            Group("US", "TEN_DLC", "PROMOTIONAL", ("SMS", "MMS"), "+1415", "+1646", 7),
            Group("CA", "LONG_CODE", "TRANSACTIONAL", ("SMS", "VOICE"), "+1416", "+1604", 7),
        )
    if region.startswith("eu-"):
        return (
            Group("GB", "LONG_CODE", "TRANSACTIONAL", ("SMS", "VOICE"), "+447400", "+447800", 6),
            Group("GB", "LONG_CODE", "PROMOTIONAL", ("SMS",), "+447500", "+447900", 6),
            Group("DE", "LONG_CODE", "TRANSACTIONAL", ("SMS",), "+49160", "+49170", 7),
            Group("FR", "LONG_CODE", "TRANSACTIONAL", ("SMS",), "+33640", "+33612", 6),
        )
    return (
        Group("AU", "LONG_CODE", "TRANSACTIONAL", ("SMS", "VOICE"), "+614912", "+614000", 6),
        Group("AU", "LONG_CODE", "PROMOTIONAL", ("SMS",), "+614913", "+614010", 6),
        Group("JP", "LONG_CODE", "TRANSACTIONAL", ("SMS",), "+8190", "+8170", 8),
        Group("NZ", "LONG_CODE", "TRANSACTIONAL", ("SMS",), "+64211", "+64220", 6),
    )


def load(sandbox: Sandbox) -> None:
    """Fill ``sandbox`` with the large account (built once per anchor and process)."""
    install(sandbox, "large", build)


def build(sandbox: Sandbox, anchor: float) -> None:
    """Write the large account into ``sandbox``, history placed before ``anchor``."""
    b = Builder(sandbox, anchor, "ppv2kit-large")
    made = {region: _through_the_api(b, region) for region in REGIONS}
    for region, pools in made.items():
        _copies(b, region, pools)
        _opted_out(b, region)


def _tags(group: Group, team: str) -> Tags:
    purpose = "otp" if group.message_type == "TRANSACTIONAL" else "marketing"
    return {
        "cost-centre": f"CC-{4100 if purpose == 'otp' else 5300}",
        "team": team,
        "environment": "production",
        "application": f"{purpose}-{group.country.lower()}",
    }


def _list_name(group: Group) -> str:
    return f"{group.message_type.lower()}-{group.country.lower()}-{group.number_type.lower()}"


def _through_the_api(b: Builder, region: str) -> list[tuple[Group, str | None, str]]:
    """Settings, lists, sets, sender IDs, one number per pool and group: ``(group, pool, id)``."""
    groups = _groups(region)
    b.production(
        region,
        at=b.at(400),
        limits={"PHONE_NUMBERS": 1_000, "POOLS": 50, "CONFIGURATION_SETS": 25},
    )
    for group in groups:
        b.opt_out_list(region, _list_name(group), _tags(group, "messaging"), at=b.at(395))
    b.opt_out_list(region, "archive", {"team": "messaging"}, at=b.at(395))
    for i in range(CONFIGURATION_SETS):
        destination = {
            "CloudWatchLogsDestination": {
                "IamRoleArn": f"arn:aws:iam::{b.account}:role/sms-voice-events",
                "LogGroupArn": f"arn:aws:logs:{region}:{b.account}:log-group:/sms/set-{i:02d}",
            }
        }
        b.config_set(
            region,
            f"set-{i:02d}",
            {"team": "messaging", "environment": "production"},
            at=b.at(390 - i),
            destinations=[(f"logs-{i:02d}", ["ALL"], destination)] if i % 4 else [],
        )
    for i, country in enumerate(SENDER_ID_COUNTRIES):
        b.sender_id(
            region, f"Brand{i:02d}", country, at=b.at(380), tags=tag_list({"team": "messaging"})
        )
    made: list[tuple[Group, str | None, str]] = []
    for g, group in enumerate(groups):
        keywords = (
            ("START", "OPT_IN", "You are subscribed again. Reply STOP to opt out."),
            (f"INFO{g}", "AUTOMATIC_RESPONSE", "Visit example.com/help for help."),
        )
        spec = Numbers(
            name=_list_name(group),
            count=1,
            country=group.country,
            number_type=group.number_type,
            message_type=group.message_type,
            capabilities=group.capabilities,
            tags=_tags(group, f"team-{g}"),
            days_ago=370 - g,
            opt_out_list=_list_name(group),
            keywords=keywords,
        )
        for p in range(POOLS_PER_GROUP):
            (first,) = b.numbers(region, replace(spec, days_ago=spec.days_ago - p * 30))
            pool = b.pool(
                region,
                f"{_list_name(group)}-{p}",
                [first],
                group.message_type,
                spec.tags,
                at=b.at(spec.days_ago - p * 30, 15),
            )
            made.append((group, pool, first))
        (alone,) = b.numbers(region, replace(spec, days_ago=200))
        made.append((group, None, alone))
    return made


def _copies(b: Builder, region: str, made: list[tuple[Group, str | None, str]]) -> None:
    """The rest of every pool, and the numbers outside pools, as copies of the first."""
    held = b.held_numbers()
    for group, pool, first in made:
        count = NUMBERS_PER_POOL - 1 if pool else UNPOOLED_PER_GROUP - 1
        numbers: list[str] = []
        while len(numbers) < count:
            number = f"{group.prefix}{b.rng.randrange(10**group.digits):0{group.digits}d}"
            if number not in held and number not in numbers:
                numbers.append(number)
        b.copies_of_number(region, first, numbers, at=b.at(150, 12), pool_id=pool)


def _opted_out(b: Builder, region: str) -> None:
    """Five lists of opted-out numbers spread over the last 18 months."""
    start, end = b.at(548, 0), b.at(1, 0)
    groups = _groups(region)
    for name, group in [*((_list_name(g), g) for g in groups), ("archive", groups[0])]:
        sample = b.rng.sample(range(10**group.digits), OPTED_OUT_PER_LIST)
        when = [start + (end - start) * b.rng.random() for _ in sample]
        end_user = [b.rng.random() < 0.85 for _ in sample]
        numbers = [f"{group.customers}{n:0{group.digits}d}" for n in sample]
        b.opted_out(region, name, zip(numbers, when, end_user, strict=True))
