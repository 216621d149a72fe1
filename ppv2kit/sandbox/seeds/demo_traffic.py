"""The demo's last month of traffic: passcodes, alerts, campaigns, calls and the replies to them.

Every message goes through SendTextMessage / SendVoiceMessage and every reply through
``Sandbox.receive``, in time order (:class:`~.traffic.Traffic`). Most streams name a
configuration set with event destinations; the statement batch and the care line name none,
the EU transactional stream names ``transactional-eu`` (no destination) and QA names
``qa-simulator`` (its destination disabled), so some messages leave no events. Campaign replies
opt recipients out (STOP), ask for details (DEALS, OFFERS) or for help; alert replies lock
cards; a few customers opt back in (START), and support staff add and remove numbers by hand.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

import phonenumbers

from .. import spend
from .builder import DAY, Builder
from .demo_protect import PREMIUM_US
from .traffic import Traffic

WINDOW_DAYS = 30
US, EU, AP = "us-east-1", "eu-west-2", "ap-southeast-2"
SIMULATOR_OK, SIMULATOR_FAIL = "+14254147755", "+14254147167"
# Monthly text limits the teams set below AWS's maximum (overrides), USD.
EU_TEXT_CAP, AP_TEXT_BUDGET = 25, 15
# Where this month's spend stands at the anchor (see _Month.this_month): eu-west-2's share of
# its cap, and ap-southeast-2's projection to month end as a share of its budget (never
# reaching it: at most AP_MOST of the budget is spent).
EU_SHARE, AP_PROJECTED, AP_MOST = 0.9, 1.1, 0.97
# The pumping incident: first burst, protection turned on, second burst (days ago); how many
# premium-rate numbers the bot cycles through.
PUMPING_DAYS = (12, 11, 4)
PUMPING_TARGETS = 12
TOP_UP_MOST = 1_000  # sends, a bound the targets never need
TOP_UP_IDLE = 20  # sends in a row that spend nothing: the story broke

MERCHANTS = ("WHOLE FOODS", "SHELL OIL", "AMAZON MKTP", "TARGET", "UBER TRIP", "CVS PHARMACY")
CARE_REPLIES = ("Thanks, that worked!", "Still can't log in", "Can you call me back?", "ok thx")


def plan(
    b: Builder,
    us: Sequence[str],
    ca: Sequence[str],
    gb: Sequence[str],
    au: Sequence[str],
    protect: Callable[[float], object] | None = None,
) -> Counter[str]:
    """Play a month of traffic to the customers ``us``, ``ca``, ``gb`` and ``au``; the counts.

    ``protect(at)`` turns protection on in us-east-1 the morning after the pumping burst
    (:meth:`_Month.pumping`).
    """
    month = _Month(b, us, ca, gb, au)
    month.us_streams()
    month.campaigns()
    month.eu_transactional()
    month.ap_launch()
    month.by_hand()
    month.pumping(protect)
    month.t.run()
    month.this_month()
    return month.t.run()


class _Month:
    """The month's streams, each a step of :func:`plan` (in this order: the random draws are
    taken in sequence, so the order is part of the seed)."""

    def __init__(
        self,
        b: Builder,
        us: Sequence[str],
        ca: Sequence[str],
        gb: Sequence[str],
        au: Sequence[str],
    ) -> None:
        self.b, self.us, self.ca, self.gb, self.au = b, us, ca, gb, au
        self.t = Traffic(b, until=b.anchor)
        self.ids = _Ids(b)
        self.rng = b.rng

    def daily(
        self, per_day: int, hours: tuple[float, float], make: Callable[[float], None]
    ) -> None:
        """``make(at)`` a few times a day (fewer at weekends) over the window."""
        rng = self.rng
        for day in range(WINDOW_DAYS, 0, -1):
            weekend = _weekday(self.b, day) >= 5
            for _ in range(round(per_day * (0.6 if weekend else 1.0) * rng.uniform(0.8, 1.2))):
                make(self.b.at(day, rng.uniform(*hours)))

    def code(self) -> str:
        return f"{self.rng.randrange(1_000_000):06d}"

    # -- us-east-1: passcodes, alerts, care, QA ---------------------------------------------------
    def us_streams(self) -> None:
        """Passcodes (text, voice, Canada), card alerts, care, QA, the statement batch."""
        self.otp_pool, self.alerts_pool = (
            self.ids.pool(US, "otp-us"),
            self.ids.pool(US, "alerts-us"),
        )
        self.daily(14, (11, 23.5), self.otp)
        self.daily(2, (11, 23.5), self.otp_call)
        self.daily(4, (11, 23.5), self.otp_ca)
        self.daily(10, (11, 23.5), self.alert)
        self.daily(3, (13, 22), self.care)
        self.daily(3, (13, 21), self.qa)
        statements = self.b.at(28, 13)
        for i, number in enumerate(self.rng.sample(list(self.us), 100)):
            body = "Juniper Pay: your monthly statement is ready in the app."
            self.t.text(statements + i * 2, US, number, self.alerts_pool, body)

    def otp(self, at: float) -> None:
        rng = self.rng
        flow = rng.choice(("login", "login", "payment", "new-device"))
        body = f"Your Juniper Pay code is {self.code()}. It expires in 10 minutes. Never share it."
        context = {"flow": flow}
        to = rng.choice(self.us)
        self.t.text(at, US, to, self.otp_pool, body, config_set="otp-prod", context=context)

    def otp_call(self, at: float) -> None:
        digits = " ".join(self.code())
        params = {
            "DestinationPhoneNumber": self.rng.choice(self.us),
            "OriginationIdentity": self.otp_pool,
            "MessageBody": f"Hello from Juniper Pay. Your code is {digits}. Again: {digits}.",
            "VoiceId": "JOANNA",
            "ConfigurationSetName": "otp-prod",
            "Context": {"flow": "voice-fallback"},
        }
        self.t.send(at, US, "SendVoiceMessage", params)

    def otp_ca(self, at: float) -> None:
        rng = self.rng
        french = rng.random() < 0.3
        body = (
            f"Code Juniper Pay : {self.code()}. Valide 10 minutes."
            if french
            else f"Your Juniper Pay code is {self.code()}. It expires in 10 minutes."
        )
        reply = _maybe(rng, 3600, [(0.006, "ARRET" if french else "STOP"), (0.004, "AIDE")])
        number = rng.choice(self.ids.numbers(US, "otp-ca"))
        to = rng.choice(self.ca)
        self.t.text(at, US, to, number, body, config_set="otp-prod", reply=reply)

    def alert(self, at: float) -> None:
        rng = self.rng
        body = (
            f"Juniper Pay: card ending {rng.randrange(10_000):04d} was charged "
            f"${rng.uniform(3, 400):.2f} at {rng.choice(MERCHANTS)}. Not you? Reply LOCK."
        )
        reply = _maybe(rng, 900, [(0.015, "LOCK"), (0.006, "STOP"), (0.003, "HELP")])
        to = rng.choice(self.us)
        self.t.text(at, US, to, self.alerts_pool, body, config_set="alerts-prod", reply=reply)

    def care(self, at: float) -> None:
        rng = self.rng
        ticket = rng.randrange(10**5)
        body = f"Hi, it's Sam from Juniper Pay care about ticket #{ticket}. Reply if you need help."
        answer = rng.choice(CARE_REPLIES) if rng.random() < 0.4 else None
        reply = (rng.uniform(120, 7200), answer) if answer else None
        care_number = self.ids.numbers(US, "care-us")[0]
        self.t.text(at, US, rng.choice(self.us), care_number, body, reply=reply)

    def qa(self, at: float) -> None:
        rng = self.rng
        to = SIMULATOR_OK if rng.random() < 0.8 else SIMULATOR_FAIL
        number = rng.choice(self.ids.numbers(US, "qa-simulator"))
        body = f"[QA] Your Juniper Pay code is {self.code()}."
        self.t.text(at, US, to, number, body, config_set="qa-simulator")

    # -- campaigns -------------------------------------------------------------------------------
    def campaign(
        self,
        region: str,
        day: int,
        hour: float,
        audience: Sequence[str],
        size: int,
        body: str,
        identity: str,
        config_set: str,
        replies: Sequence[tuple[float, str]] = (),
    ) -> None:
        """``size`` of ``audience`` sent ``body`` three seconds apart from ``day`` at ``hour``."""
        start = self.b.at(day, hour)
        context = {"campaign": f"{config_set}-{time_tag(start)}"}
        for i, number in enumerate(self.rng.sample(list(audience), size)):
            reply = _maybe(self.rng, 5400, replies)
            at = start + i * 3
            self.t.text(
                at,
                region,
                number,
                identity,
                body,
                config_set=config_set,
                context=context,
                reply=reply,
            )

    def campaigns(self) -> None:
        """Three US promotions and two UK ones, with their STOP and keyword replies."""
        promo_replies = [(0.04, "STOP"), (0.015, "DEALS"), (0.005, "HELP")]
        promo, flash = self.ids.pool(US, "promo-us"), self.ids.numbers(US, "promo-flash")[0]
        groceries = (
            "Juniper Pay: 2% cashback on groceries all week. Reply DEALS for details, "
            "STOP to opt out."
        )
        # An emoji makes the message UCS-2: two parts instead of one.
        weekend_deal = (
            "\N{WRAPPED PRESENT} Juniper Pay weekend deal: 5% cashback at 200+ stores until "
            "Sunday. Reply STOP to opt out."
        )
        flash_sale = (
            "Juniper Pay flash sale: $10 bonus when you pay a friend today. Msg&data rates may "
            "apply. Reply STOP to end."
        )
        us = self.us
        self.campaign(US, 26, 16, us, 100, groceries, promo, "promo-us", promo_replies)
        self.campaign(US, 12, 17, us, 100, weekend_deal, promo, "promo-us", promo_replies)
        self.campaign(US, 5, 18, us, 80, flash_sale, flash, "promo-us")

        uk_replies = [(0.035, "STOP"), (0.015, "OFFERS")]
        uk = self.ids.pool(EU, "marketing-uk")
        fx = (
            "Juniper Pay: 0% FX fees on card spending abroad this month. Reply OFFERS for T&Cs, "
            "STOP to opt out."
        )
        # A typographic apostrophe makes the message UCS-2.
        rewards = (
            "Juniper Pay: don\N{RIGHT SINGLE QUOTATION MARK}t miss double rewards this weekend "
            "on every card payment. Reply STOP to opt out."
        )
        self.campaign(EU, 21, 10, self.gb, 120, fx, uk, "marketing-uk", uk_replies)
        self.campaign(EU, 7, 10, self.gb, 120, rewards, uk, "marketing-uk", uk_replies)

    # -- eu-west-2: transactional -----------------------------------------------------------------
    def eu_transactional(self) -> None:
        """Transfers to the UK, codes to Germany and France, through the EU pool."""
        self.eu_pool = self.ids.pool(EU, "transactional-eu")
        self.de = [f"+4915100{n:06d}" for n in range(100, 400)]
        self.fr = [f"+3361234{n:04d}" for n in range(100, 400)]
        self.daily(6, (7, 21), self.eu)

    def eu(self, at: float) -> None:
        rng = self.rng
        country = rng.choices(("GB", "DE", "FR"), (6, 2, 2))[0]
        if country == "GB":
            to, body = (
                rng.choice(self.gb),
                f"Juniper Pay: your transfer of £{rng.randrange(5, 500)} arrived.",
            )
        elif country == "DE":
            to, body = rng.choice(self.de), f"Juniper Pay: Ihr Code lautet {self.code()}."
        else:
            to, body = rng.choice(self.fr), f"Juniper Pay : votre code est {self.code()}."
        self.t.text(at, EU, to, self.eu_pool, body, config_set="transactional-eu")

    # -- ap-southeast-2: the launch grows ----------------------------------------------------------
    def ap_launch(self) -> None:
        """Australian passcodes growing day by day, calls, and New Zealand codes."""
        rng = self.rng
        self.nz = [f"+642155501{n:02d}" for n in range(100)]
        self.au_numbers = self.ids.numbers(AP, "otp-au")
        self.nz_number = self.ids.numbers(AP, "otp-nz")[0]
        for day in range(WINDOW_DAYS, 0, -1):
            for _ in range(round(2 + 6 * (WINDOW_DAYS - day) / WINDOW_DAYS)):
                body = f"Your Juniper Pay code is {self.code()}. It expires in 10 minutes."
                at = self.b.at(day, rng.uniform(0, 9))
                self.t.text(at, AP, rng.choice(self.au), "JUNIPER", body, config_set="au-launch")
        self.daily(1, (0, 9), self.au_call)
        self.daily(1, (0, 9), self.nz_otp)

    def au_call(self, at: float) -> None:
        params = {
            "DestinationPhoneNumber": self.rng.choice(self.au),
            "OriginationIdentity": self.rng.choice(self.au_numbers),
            "MessageBody": f"Your Juniper Pay code is {' '.join(self.code())}.",
            "VoiceId": "NICOLE",
            "ConfigurationSetName": "au-launch",
        }
        self.t.send(at, AP, "SendVoiceMessage", params)

    def nz_otp(self, at: float) -> None:
        body = f"Your Juniper Pay code is {self.code()}."
        to = self.rng.choice(self.nz)
        self.t.text(at, AP, to, self.nz_number, body, config_set="au-launch")

    # -- us-east-1: an SMS pumping incident --------------------------------------------------------
    def pumping(self, protect: Callable[[float], object] | None) -> None:
        """A bot abuses the sign-up form: passcodes to premium-rate numbers, in bursts at night.

        The first burst (``PUMPING_DAYS[0]`` days ago) is sent and charged; the next morning the
        risk team turns protection on (``protect``: the account default FILTERs US SMS with the
        pumping heuristic), so the second burst ends in ``TEXT_PROTECT_BLOCKED`` events. Both
        carry the ``sign-up`` flow in their context, like the real sign-ups they hide among.
        """
        first, protected, second = PUMPING_DAYS
        targets = _premium_numbers(self.rng, PUMPING_TARGETS)
        body = "Your Juniper Pay code is {}. It expires in 10 minutes. Never share it."
        context = {"flow": "sign-up"}
        for day, count in ((first, 90), (second, 60)):
            at = self.b.at(day, 2.25)
            for _ in range(count):
                at += self.rng.uniform(8, 40)  # a bot's pace: steady, small gaps
                to = self.rng.choice(targets)
                self.t.text(
                    at,
                    US,
                    to,
                    self.ids.pool(US, "otp-us"),
                    body.format(self.code()),
                    config_set="otp-prod",
                    context=context,
                )
        if protect is not None:
            self.t.do(self.b.at(protected, 9.5), protect)

    # -- this month: where the spend notebook's story stands -------------------------------------
    def this_month(self) -> None:
        """Yesterday evening's sends that place this month's text spend, whatever the date.

        From the 2nd of a month on, eu-west-2 stands at ``EU_SHARE`` of its cap after a
        marketing blast (past the spend notebook's warning), and ap-southeast-2's passcodes
        surge so that the month's pace runs out its launch budget before month end; us-east-1
        stays healthy. On the 1st the month has no spend yet, as on AWS. Runs after the rest
        of the month's traffic, whose spend it tops up.
        """
        first = spend.month_start(self.b.anchor)
        elapsed = round((self.b.anchor - first) / DAY)
        if elapsed < 1:
            return
        length = round((spend.month_start(first + 32 * DAY) - first) / DAY)
        start = self.b.at(1, 23.6)  # after the day's other traffic
        uk = self.ids.pool(EU, "marketing-uk")
        blast = (
            "\N{PARTY POPPER} Juniper Pay members' week starts now: double rewards on every card "
            "payment, 0% FX fees on spending abroad, a \N{POUND SIGN}10 bonus for each friend you "
            "invite and cashback at 300+ shops. All offers end Sunday at midnight, T&Cs in the "
            "app. Reply STOP to opt out."
        )
        context = {"campaign": f"marketing-uk-{time_tag(start)}"}
        self._top_up(
            EU,
            EU_SHARE * EU_TEXT_CAP,
            start,
            lambda at, to: self.t.text(
                at, EU, to, uk, blast, config_set="marketing-uk", context=context
            ),
            self.gb,
        )
        share = min(AP_MOST, AP_PROJECTED * (elapsed + 1) / length)

        def passcode(at: float, to: str) -> None:
            body = f"Your Juniper Pay code is {self.code()}. It expires in 10 minutes."
            self.t.text(at, AP, to, "JUNIPER", body, config_set="au-launch")

        self._top_up(AP, share * AP_TEXT_BUDGET, start, passcode, self.au)

    def _top_up(
        self,
        region: str,
        target: float,
        start: float,
        send: Callable[[float, str], None],
        audience: Sequence[str],
    ) -> None:
        """``send`` to ``audience`` 3 s apart from ``start`` until the region's month-to-date
        text spend is as close below ``target`` as one more message allows."""
        spent, price, idle = self._text_spend(region), 0.0, 0
        recipients = self.rng.sample(list(audience), len(audience))
        sent = 0
        for _ in range(TOP_UP_MOST):
            if spent + price > target:
                return
            # One message to learn the price, then all but the last few at once.
            batch = 1 if price == 0 else max(1, int((target - spent) / price) - 2)
            for i in range(sent, sent + batch):
                send(start + 3 * i, recipients[i % len(recipients)])
            sent += batch
            self.t.run()
            now = self._text_spend(region)
            idle = idle + 1 if now == spent else 0  # opted out, or blocked by protect
            if idle > TOP_UP_IDLE:
                raise RuntimeError(f"the demo's {region} top-up no longer spends: see its sends")
            price, spent = max(price, (now - spent) / batch), now

    def _text_spend(self, region: str) -> float:
        with self.b.admin(region, at=self.b.anchor) as ctx:
            return spend.month_to_date(ctx.store, "TEXT", ctx.now)

    # -- by hand: support staff, and customers opting back in -------------------------------------
    def by_hand(self) -> None:
        """Numbers added and removed by staff; START and HELP from customers."""
        b, t, rng, us = self.b, self.t, self.rng, self.us
        na, us_marketing = "na-transactional", "us-marketing"
        alerts_numbers = [doc["PhoneNumber"] for doc in b.named(US, "phone-number", "alerts-us")]
        for day in (27, 19, 11, 3):
            entry = {"OptOutListName": us_marketing, "OptedOutNumber": rng.choice(us)}
            t.call(b.at(day, 15), US, "PutOptedOutNumber", entry)
        for day in (24, 16, 9):
            returning = rng.choice(_opted_out_earlier(b, US, na, us))
            t.inbound(b.at(day, 18), US, rng.choice(alerts_numbers), returning, "START")
        for day in (23, 13, 6):  # customers who text for help without any message first
            t.inbound(b.at(day, 20), US, rng.choice(alerts_numbers), rng.choice(us), "HELP")
        entry = {
            "OptOutListName": us_marketing,
            "OptedOutNumber": rng.choice(_opted_out_earlier(b, US, us_marketing, us)),
        }
        t.call(b.at(14, 16), US, "DeleteOptedOutNumber", entry)


class _Ids:
    """IDs of the demo's pools and numbers, by Name tag."""

    def __init__(self, b: Builder) -> None:
        self.b = b
        self._seen: dict[tuple[str, str, str], list[str]] = {}

    def pool(self, region: str, name: str) -> str:
        return self._ids(region, "pool", name, "PoolId")[0]

    def numbers(self, region: str, name: str) -> list[str]:
        return self._ids(region, "phone-number", name, "PhoneNumberId")

    def _ids(self, region: str, kind: str, name: str, member: str) -> list[str]:
        key = (region, kind, name)
        if key not in self._seen:
            self._seen[key] = [doc[member] for doc in self.b.named(region, kind, name)]
        return self._seen[key]


def _maybe(
    rng: random.Random, within: float, chances: Sequence[tuple[float, str]]
) -> tuple[float, str] | None:
    """A reply ``(seconds later, body)``: one of the bodies, each with its chance, or None."""
    roll = rng.random()
    for chance, body in chances:
        if roll < chance:
            return rng.uniform(30, within), body
        roll -= chance
    return None


def _premium_numbers(rng: random.Random, count: int) -> list[str]:
    """``count`` US premium-rate numbers (1-900) of the number plan, never the demo's
    overridden one (a send to it is refused at the call)."""
    found: list[str] = []
    while len(found) < count:
        number = f"+1900{rng.randrange(200, 1000)}{rng.randrange(10_000):04d}"
        parsed = phonenumbers.parse(number, None)
        premium = phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.PREMIUM_RATE
        if premium and number != PREMIUM_US and number not in found:
            found.append(number)
    return found


def time_tag(at: float) -> str:
    """``20261205`` for an instant of 5 December 2026 (UTC)."""
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%Y%m%d")


def _weekday(b: Builder, days_ago: int) -> int:
    return int((b.at(days_ago, 12) // DAY + 3) % 7)  # 1970-01-01 was a Thursday (3)


def _opted_out_earlier(b: Builder, region: str, list_name: str, among: Sequence[str]) -> list[str]:
    """Numbers of ``among`` already on a list before the traffic window (end users)."""
    wanted = set(among)
    cutoff = b.anchor - WINDOW_DAYS * DAY
    with b.admin(region, at=b.anchor) as ctx:
        return [
            doc["OptedOutNumber"]
            for doc in ctx.store.docs("opted-out-number", list_name)
            if doc["OptedOutNumber"] in wanted and doc["OptedOutTimestamp"] < cutoff
        ]
