"""The ``demo`` seed: Juniper Pay, a payments app with an SMS programme in three regions.

The story (every change made through the API at the time it happened, ADR 0011):

- **us-east-1** (since ~23 months): one-time passcodes for the US from a pool of toll-free
  numbers and a short code (``otp-us``); card alerts from two-way 10DLC numbers (``alerts-us``);
  US promotions from 10DLC numbers (``promo-us``) and a flash-sale short code; Canadian
  passcodes from CA long codes, toll-free numbers and a short code used directly; a two-way care
  line; two simulator numbers for QA; a staging number.
- **eu-west-2** (since ~16 months): UK marketing from GB long codes and the ``JuniperPay``
  sender ID (``marketing-uk``), and transactional messages for GB, DE and FR
  (``transactional-eu``); the marketing team capped the month's text spend with an override.
- **ap-southeast-2** (since 4 months): the Australian launch, AU and NZ long codes and a
  registered sender ID, the account's limits at the production defaults and a small pilot
  budget for text (an override).

This month's spend, whatever the date (from the 2nd): eu-west-2's text spend near its cap after
yesterday's marketing blast, ap-southeast-2 on a pace that runs out its budget before month end
(a passcode surge yesterday evening), us-east-1 healthy.

Registrations (:mod:`.demo_registrations`): a complete 10DLC brand, vetting and card-alerts
campaign holding the ``alerts-us`` numbers, a promotions campaign denied once with a new draft
untouched for weeks, toll-free registrations (two complete, one reviewing for days, one number
without any), a public-company brand waiting for authentication, and sender-ID registrations in
ap-southeast-2 (Australia complete, Singapore just submitted).

Four opt-out lists besides each region's ``Default`` hold 18 months of history, end-user and
manual, the last month of it from the traffic :mod:`.demo_traffic` replays (sends, calls,
replies). Deliberate problems an audit should find: a number without deletion protection in a
production pool (``transactional-eu``), a production configuration set with no event destination
(``transactional-eu``), an opt-out list no number or pool uses (``legacy-provider-import``), and
a pool with self-managed opt-outs (``marketing-uk``).

Protect configurations (:mod:`.demo_protect`): in us-east-1 an account default made the morning
after an SMS pumping incident (a bot's sign-up passcodes to premium-rate numbers, charged), which
blocks a handful of countries for SMS, filters US SMS and holds two number overrides, so the
bot's second burst days later is filtered; in eu-west-2 a MONITOR configuration on
``marketing-uk``, made at the anchor.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .. import carriers
from . import demo_protect, demo_registrations, demo_traffic
from .builder import HOUR, Builder, Keyword, Numbers, Tags, tag_list
from .cache import install

if TYPE_CHECKING:
    from ..engine import Sandbox

ACCOUNT = "123456789012"
US, EU, AP = "us-east-1", "eu-west-2", "ap-southeast-2"
REGIONS = (US, EU, AP)
TEXT_LIMIT = "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT"
VOICE_LIMIT = "VOICE_MESSAGE_MONTHLY_SPEND_LIMIT"

# -- who owns what (tags) ---------------------------------------------------------------------
IDENTITY: Tags = {
    "cost-centre": "CC-4100",
    "team": "identity",
    "environment": "production",
    "application": "login-otp",
}
ALERTS: Tags = {
    "cost-centre": "CC-4200",
    "team": "payments-ops",
    "environment": "production",
    "application": "card-alerts",
}
GROWTH: Tags = {
    "cost-centre": "CC-5300",
    "team": "growth",
    "environment": "production",
    "application": "campaigns",
}
CARE: Tags = {
    "cost-centre": "CC-4600",
    "team": "customer-care",
    "environment": "production",
    "application": "care-line",
}
QA: Tags = {**IDENTITY, "team": "qa", "environment": "test"}
STAGING: Tags = {**GROWTH, "environment": "staging"}
APAC: Tags = {**IDENTITY, "cost-centre": "CC-7000", "team": "apac-launch"}


def _arn(service: str, region: str, resource: str) -> str:
    return f"arn:aws:{service}:{region}:{ACCOUNT}:{resource}"


ALERT_REPLIES = _arn("sns", US, "juniper-card-alert-replies")
CARE_REPLIES = _arn("sns", US, "juniper-care-inbound")
EVENTS_ROLE = f"arn:aws:iam::{ACCOUNT}:role/sms-voice-events"

# -- keywords beyond HELP and STOP --------------------------------------------------------------
RESUBSCRIBE: tuple[Keyword, ...] = (
    ("START", "OPT_IN", "Juniper Pay: you are subscribed again. Reply STOP to opt out."),
    ("UNSTOP", "OPT_IN", "Juniper Pay: you are subscribed again. Reply STOP to opt out."),
)
CARD: tuple[Keyword, ...] = (
    ("LOCK", "AUTOMATIC_RESPONSE", "To lock your card open Juniper Pay > Cards > Lock card."),
    ("START", "OPT_IN", "Juniper Pay card alerts are back on. Reply STOP to opt out."),
)
PROMO: tuple[Keyword, ...] = (
    ("JOIN", "OPT_IN", "Welcome to Juniper Pay deals! Up to 4 msgs/mo. Reply STOP to opt out."),
    ("DEALS", "AUTOMATIC_RESPONSE", "This week: 2% cashback on groceries. Details in the app."),
)
FRENCH: tuple[Keyword, ...] = (
    ("ARRET", "OPT_OUT", "Juniper Pay : vous ne recevrez plus de messages."),
    ("AIDE", "AUTOMATIC_RESPONSE", "Juniper Pay : aide au 1-888-555-0199. ARRET pour arreter."),
)
OFFERS: tuple[Keyword, ...] = (
    (
        "OFFERS",
        "AUTOMATIC_RESPONSE",
        "Juniper Pay offers: 0% FX fees on card spending abroad. T&Cs in app.",
    ),
    ("START", "OPT_IN", "You will receive Juniper Pay offers again. Reply STOP to opt out."),
)

# -- event destinations -------------------------------------------------------------------------
FAILURES = (
    "TEXT_CARRIER_UNREACHABLE",
    "TEXT_UNREACHABLE",
    "TEXT_BLOCKED",
    "TEXT_CARRIER_BLOCKED",
    "TEXT_TTL_EXPIRED",
)


def _logs(region: str, group: str) -> dict[str, Any]:
    return {
        "CloudWatchLogsDestination": {
            "IamRoleArn": EVENTS_ROLE,
            "LogGroupArn": _arn("logs", region, f"log-group:{group}"),
        }
    }


def _firehose(region: str, stream: str) -> dict[str, Any]:
    return {
        "KinesisFirehoseDestination": {
            "IamRoleArn": EVENTS_ROLE,
            "DeliveryStreamArn": _arn("firehose", region, f"deliverystream/{stream}"),
        }
    }


def _sns(region: str, topic: str) -> dict[str, Any]:
    return {"SnsDestination": {"TopicArn": _arn("sns", region, topic)}}


# -- phone numbers ------------------------------------------------------------------------------
OTP_US = Numbers(
    name="otp-us",
    count=4,
    country="US",
    number_type="TOLL_FREE",
    message_type="TRANSACTIONAL",
    capabilities=("SMS", "VOICE"),
    tags=IDENTITY,
    days_ago=680,
    opt_out_list="na-transactional",
    keywords=RESUBSCRIBE,
)
OTP_US_SHORT = replace(
    OTP_US,
    count=1,
    number_type="SHORT_CODE",
    capabilities=("SMS",),
    days_ago=620,
    short_codes=("72468",),
)
ALERTS_US = Numbers(
    name="alerts-us",
    count=6,
    country="US",
    number_type="TEN_DLC",
    message_type="TRANSACTIONAL",
    capabilities=("SMS",),
    tags=ALERTS,
    days_ago=600,
    opt_out_list="na-transactional",
    keywords=CARD,
    two_way=ALERT_REPLIES,
)
PROMO_US = Numbers(
    name="promo-us",
    count=2,
    country="US",
    number_type="TEN_DLC",
    message_type="PROMOTIONAL",
    capabilities=("SMS", "MMS"),
    tags=GROWTH,
    days_ago=555,
    opt_out_list="us-marketing",
    keywords=PROMO,
)
# A short code for flash sales, used on its own.
PROMO_FLASH = replace(
    PROMO_US,
    name="promo-flash",
    count=1,
    number_type="SHORT_CODE",
    days_ago=380,
    short_codes=("37645",),
)
CARE_US = replace(
    ALERTS_US,
    name="care-us",
    count=1,
    capabilities=("SMS", "VOICE"),
    tags=CARE,
    days_ago=500,
    keywords=(),
    two_way=CARE_REPLIES,
)
OTP_CA = Numbers(
    name="otp-ca",
    count=4,
    country="CA",
    number_type="LONG_CODE",
    message_type="TRANSACTIONAL",
    capabilities=("SMS", "VOICE"),
    tags=IDENTITY,
    days_ago=420,
    opt_out_list="na-transactional",
    keywords=FRENCH,
)
OTP_CA_TOLL_FREE = replace(OTP_CA, count=2, number_type="TOLL_FREE", days_ago=418)
OTP_CA_SHORT = replace(
    OTP_CA,
    count=1,
    number_type="SHORT_CODE",
    capabilities=("SMS",),
    days_ago=300,
    short_codes=("262626",),
)
PROMO_STAGING = replace(
    PROMO_US,
    name="promo-staging",
    count=1,
    capabilities=("SMS",),
    tags=STAGING,
    days_ago=200,
    protect=False,
)
QA_SIMULATOR = Numbers(
    name="qa-simulator",
    count=2,
    country="US",
    number_type="SIMULATOR",
    message_type="TRANSACTIONAL",
    capabilities=("SMS", "VOICE"),
    tags=QA,
    days_ago=60,
    protect=False,
)
# Self-managed opt-outs: the CRM handles STOP, so replies never reach uk-marketing.
MARKETING_UK = Numbers(
    name="marketing-uk",
    count=4,
    country="GB",
    number_type="LONG_CODE",
    message_type="PROMOTIONAL",
    capabilities=("SMS",),
    tags=GROWTH,
    days_ago=475,
    opt_out_list="uk-marketing",
    keywords=OFFERS,
    self_managed=True,
)
MARKETING_STAGING = replace(
    MARKETING_UK,
    name="marketing-staging",
    count=1,
    tags=STAGING,
    days_ago=15,
    keywords=(),
    self_managed=False,
    protect=False,
)
TRANSACTIONAL_GB = Numbers(
    name="transactional-eu",
    count=2,
    country="GB",
    number_type="LONG_CODE",
    message_type="TRANSACTIONAL",
    capabilities=("SMS", "VOICE"),
    tags=IDENTITY,
    days_ago=460,
)
TRANSACTIONAL_DE = replace(TRANSACTIONAL_GB, count=1, country="DE", capabilities=("SMS",))
TRANSACTIONAL_FR = replace(TRANSACTIONAL_DE, count=2, country="FR")
# Added to the production pool during an incident, deletion protection forgotten.
HURRIED_DE = replace(TRANSACTIONAL_DE, days_ago=20, protect=False)
OTP_AU = Numbers(
    name="otp-au",
    count=3,
    country="AU",
    number_type="LONG_CODE",
    message_type="TRANSACTIONAL",
    capabilities=("SMS", "VOICE"),
    tags=APAC,
    days_ago=108,
)
OTP_NZ = replace(OTP_AU, name="otp-nz", count=1, country="NZ", capabilities=("SMS",), days_ago=100)


def load(sandbox: Sandbox) -> None:
    """Fill ``sandbox`` with the demo account (built once per anchor and process)."""
    install(sandbox, "demo", build)


def build(sandbox: Sandbox, anchor: float) -> None:
    """Write the demo account into ``sandbox``, history placed before ``anchor``."""
    b = Builder(sandbox, anchor, "ppv2kit-demo", account=ACCOUNT)
    _us_east_1(b)
    _eu_west_2(b)
    _ap_southeast_2(b)
    demo_registrations.build(
        b,
        [d["PhoneNumberId"] for d in b.named(US, "phone-number", OTP_US.name)],
        [d["PhoneNumberId"] for d in b.named(US, "phone-number", ALERTS_US.name)],
    )
    _opt_out_history(b)
    customers = b.rng.sample(us_numbers(), 3_000), b.rng.sample(ca_numbers(), 600)
    demo_traffic.plan(
        b,
        *(texting(numbers) for numbers in customers),
        texting(b.rng.sample(gb_numbers(), 1_500)),
        texting(au_numbers()),
        protect=lambda at: demo_protect.block_high_risk(b, US, IDENTITY, at),
    )
    # At the anchor, after the month of traffic (ADR 18).
    demo_protect.monitor_marketing(b, EU, GROWTH)


# -- us-east-1 ----------------------------------------------------------------------------------


def _us_east_1(b: Builder) -> None:
    r = US
    b.production(
        r,
        at=b.at(690),
        limits={"PHONE_NUMBERS": 50, "POOLS": 10},
        spend_max={TEXT_LIMIT: 5_000, VOICE_LIMIT: 1_000},
    )
    b.opt_out_list(r, "na-transactional", IDENTITY, at=b.at(685))
    b.config_set(
        r,
        "otp-prod",
        IDENTITY,
        at=b.at(684),
        destinations=[
            ("otp-cloudwatch", ["ALL"], _logs(r, "/sms/otp-prod")),
            (
                "otp-lake",
                ["TEXT_DELIVERED", *FAILURES, "VOICE_COMPLETED", "VOICE_FAILED"],
                _firehose(r, "sms-events-lake"),
            ),
        ],
        message_type="TRANSACTIONAL",
    )
    otp = b.pool(r, "otp-us", b.numbers(r, OTP_US), "TRANSACTIONAL", IDENTITY, at=b.at(676, 14))
    b.join(r, otp, b.numbers(r, OTP_US_SHORT), at=b.at(618, 14))

    b.pool(r, "alerts-us", b.numbers(r, ALERTS_US), "TRANSACTIONAL", ALERTS, at=b.at(598, 14))
    b.config_set(
        r,
        "alerts-prod",
        ALERTS,
        at=b.at(597),
        destinations=[
            ("alert-failures", FAILURES, _sns(r, "sms-alert-failures")),
            ("alerts-lake", ["TEXT_ALL"], _firehose(r, "sms-events-lake")),
        ],
    )

    b.opt_out_list(r, "us-marketing", GROWTH, at=b.at(560))
    b.pool(r, "promo-us", b.numbers(r, PROMO_US), "PROMOTIONAL", GROWTH, at=b.at(553, 14))
    b.config_set(
        r,
        "promo-us",
        GROWTH,
        at=b.at(552),
        destinations=[("campaign-lake", ["TEXT_ALL"], _firehose(r, "sms-events-lake"))],
        message_type="PROMOTIONAL",
    )
    # Made for a previous provider's export and never attached to a number or pool.
    b.opt_out_list(r, "legacy-provider-import", GROWTH, at=b.at(540, 9))

    b.numbers(r, CARE_US)
    b.numbers(r, OTP_CA)
    b.numbers(r, OTP_CA_TOLL_FREE)
    b.numbers(r, PROMO_FLASH)
    b.numbers(r, OTP_CA_SHORT)
    b.numbers(r, PROMO_STAGING)
    b.numbers(r, QA_SIMULATOR)
    b.config_set(
        r,
        "qa-simulator",
        QA,
        at=b.at(60),
        destinations=[("qa-logs", ["ALL"], _logs(r, "/sms/qa-simulator"))],
    )
    b.call(
        r,
        "UpdateEventDestination",
        {
            "ConfigurationSetName": "qa-simulator",
            "EventDestinationName": "qa-logs",
            "Enabled": False,
        },
        at=b.at(40),
    )


# -- eu-west-2 ----------------------------------------------------------------------------------


def _eu_west_2(b: Builder) -> None:
    r = EU
    b.production(
        r,
        at=b.at(480),
        limits={"PHONE_NUMBERS": 30},
        spend_max={TEXT_LIMIT: 2_000, VOICE_LIMIT: 250},
    )
    b.opt_out_list(r, "uk-marketing", GROWTH, at=b.at(478))
    for country in ("GB", "IE"):
        b.sender_id(r, "JuniperPay", country, at=b.at(476), tags=tag_list(GROWTH))
    b.pool(
        r,
        "marketing-uk",
        b.numbers(r, MARKETING_UK),
        "PROMOTIONAL",
        GROWTH,
        at=b.at(472, 14),
        sender_ids=[("JuniperPay", "GB")],
    )
    b.config_set(
        r,
        "marketing-uk",
        GROWTH,
        at=b.at(470),
        destinations=[("uk-campaign-lake", ["TEXT_ALL"], _firehose(r, "sms-events-uk"))],
        message_type="PROMOTIONAL",
        sender_id="JuniperPay",
    )

    for country, registered in (("DE", False), ("FR", True), ("ES", False)):
        b.sender_id(
            r,
            "JuniperPay",
            country,
            at=b.at(462),
            message_types=["TRANSACTIONAL"],
            registered=registered,
            deletion_protection_enabled=True,
            tags=tag_list(IDENTITY),
        )
    members = [
        *b.numbers(r, TRANSACTIONAL_GB),
        *b.numbers(r, TRANSACTIONAL_DE),
        *b.numbers(r, TRANSACTIONAL_FR),
    ]
    eu_pool = b.pool(
        r,
        "transactional-eu",
        members,
        "TRANSACTIONAL",
        IDENTITY,
        at=b.at(455, 14),
        sender_ids=[("JuniperPay", "DE"), ("JuniperPay", "FR")],
    )
    # A production configuration set nobody gave an event destination.
    b.config_set(
        r,
        "transactional-eu",
        IDENTITY,
        at=b.at(454),
        message_type="TRANSACTIONAL",
        sender_id="JuniperPay",
    )
    # Marketing capped the region's text spend well below the maximum AWS granted.
    cap = {"MonthlyLimit": demo_traffic.EU_TEXT_CAP}
    b.call(r, "SetTextMessageSpendLimitOverride", cap, at=b.at(45))
    b.join(r, eu_pool, b.numbers(r, HURRIED_DE), at=b.at(20, 14))
    b.numbers(r, MARKETING_STAGING)


# -- ap-southeast-2 -----------------------------------------------------------------------------


def _ap_southeast_2(b: Builder) -> None:
    r = AP
    b.production(r, at=b.at(110))
    # The launch runs on a pilot budget for text, far below the maximum AWS granted.
    budget = {"MonthlyLimit": demo_traffic.AP_TEXT_BUDGET}
    b.call(r, "SetTextMessageSpendLimitOverride", budget, at=b.at(100))
    b.sender_id(
        r,
        "JUNIPER",
        "AU",
        at=b.at(109),
        message_types=["TRANSACTIONAL"],
        registered=True,
        tags=tag_list(APAC),
    )
    b.numbers(r, OTP_AU)
    b.config_set(
        r,
        "au-launch",
        APAC,
        at=b.at(108),
        destinations=[("au-cloudwatch", ["ALL"], _logs(r, "/sms/au-launch"))],
        message_type="TRANSACTIONAL",
        sender_id="JUNIPER",
    )
    b.numbers(r, OTP_NZ)


# -- opt-out history ----------------------------------------------------------------------------

# Fictional numbers: 555-01XX in US and Canadian area codes, GB +44 7400 1xxxxx, AU 0491 570 xxx.
US_AREAS = (
    "201 202 206 212 213 214 215 216 217 301 303 305 310 312 313 314 315 316 317 404 405 407 "
    "408 410 412 415 469 480 502 503 504 512 513 602 608 612 614 615 617 619 646 650 678 702 "
    "703 704 713 714 718 720 727 732 770 773 786 804 813 818 832 858"
)
CA_AREAS = "204 403 416 506 514 604 613 647 780 902"
HISTORY_DAYS = 548  # 18 months
RECENT_DAYS = 30  # the last month's opt-outs come from traffic


def us_numbers() -> list[str]:
    """The fictional US numbers customers of the demo have."""
    return [f"+1{area}55501{n:02d}" for area in US_AREAS.split() for n in range(100)]


def ca_numbers() -> list[str]:
    """The fictional Canadian numbers customers of the demo have."""
    return [f"+1{area}55501{n:02d}" for area in CA_AREAS.split() for n in range(100)]


def gb_numbers() -> list[str]:
    """The GB mobile numbers customers of the demo have, on four networks (Three, EE,
    Vodafone, O2: the number plan's ranges +44 7400, 7300, 7500, 7720)."""
    return [
        f"+44{r}1{n:05d}" for r in ("7400", "7300", "7500", "7720") for n in range(0, 10**5, 148)
    ]


# One in this many customers whose number on file can't take a text (a landline) keeps it.
LANDLINES_KEPT_ONE_IN = 8


def texting(numbers: list[str]) -> list[str]:
    """The customers of ``numbers`` the demo texts: mobiles, and a few landlines left on file
    (their texts end ``TEXT_INVALID``: ADR 23)."""
    return [
        n
        for n in numbers
        if carriers.line(n).type == "MOBILE"
        or carriers.digest(n, "kept:") % LANDLINES_KEPT_ONE_IN == 0
    ]


def au_numbers() -> list[str]:
    """The fictional AU mobile numbers customers of the demo have."""
    return [f"+61491570{n:03d}" for n in range(6, 160)]


def _history(
    b: Builder,
    region: str,
    list_name: str,
    numbers: list[str],
    count: int,
    end_user_share: float,
    since_days: float = HISTORY_DAYS,
) -> None:
    """``count`` opt-outs from ``numbers``, growing with the customer base over the period."""
    start, end = b.at(since_days, 0), b.at(RECENT_DAYS, 0)
    chosen = b.rng.sample(numbers, count)
    entries = [
        (number, start + (end - start) * b.rng.random() ** 0.6, b.rng.random() < end_user_share)
        for number in chosen
    ]
    b.opted_out(region, list_name, entries)


def _opt_out_history(b: Builder) -> None:
    north_america = us_numbers() + ca_numbers()
    _history(b, US, "na-transactional", north_america, 1_450, 0.88)
    _history(b, US, "us-marketing", us_numbers(), 1_150, 0.82, since_days=559)
    _history(b, US, "Default", us_numbers(), 60, 0.7)
    _history(b, EU, "uk-marketing", gb_numbers(), 820, 0.9, since_days=477)
    _history(b, EU, "Default", gb_numbers(), 45, 0.8, since_days=479)
    _history(b, AP, "Default", au_numbers(), 12, 1.0, since_days=107)
    # The previous provider's export, imported in three batches over two days.
    imported = b.rng.sample(us_numbers(), 650)
    b.opted_out(
        US,
        "legacy-provider-import",
        [(n, b.at(540, 16) + i % 3 * 12 * HOUR + i, False) for i, n in enumerate(imported)],
    )
