"""Run a command with the system clock moved by libfaketime to another date (``make test``).

``python -m tests.faketime_run [--date WHEN] -- COMMAND...`` picks a moment between now and five
years ahead (or takes ``--date``), prints it so a failure reproduces (``make test
FAKE_DATE=WHEN``), and runs COMMAND under Debian's ``faketime`` with the clock *running* from
that moment. The move is an offset from real time, so every process the command starts (xdist
workers, Jupyter kernels, the CLI) shares one clock; the monotonic clock is left alone, so
time-outs keep their meaning.

Half the picks land on a moment where calendars bite: the last minutes of a month, the first ten
minutes of one, 29 February, New Year's Eve; the rest anywhere in the five years.
"""

from __future__ import annotations

import argparse
import calendar
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone

YEARS_AHEAD = 5
DAY = timedelta(days=1)


def _any_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


def _month_end(rng: random.Random, start: datetime, end: datetime) -> datetime:
    day = _any_moment(rng, start, end - DAY)
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=last, hour=23, minute=50, second=0, microsecond=0) + timedelta(
        seconds=rng.uniform(0, 600)
    )


def _first_of_month(rng: random.Random, start: datetime, end: datetime) -> datetime:
    day = _any_moment(rng, start + 31 * DAY, end)
    first = day.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return first + timedelta(seconds=rng.uniform(0, 600))


def _leap_day(rng: random.Random, start: datetime, end: datetime) -> datetime:
    days = [
        datetime(year, 2, 29, tzinfo=timezone.utc)
        for year in range(start.year, end.year + 1)
        if calendar.isleap(year) and start <= datetime(year, 2, 29, tzinfo=timezone.utc) < end
    ]
    if not days:
        return _month_end(rng, start, end)
    return rng.choice(days) + timedelta(seconds=rng.uniform(0, 86_400))


def _new_year(rng: random.Random, start: datetime, end: datetime) -> datetime:
    years = [
        y for y in range(start.year, end.year) if datetime(y, 12, 31, tzinfo=timezone.utc) > start
    ]
    eve = datetime(rng.choice(years), 12, 31, 23, 50, tzinfo=timezone.utc)
    return eve + timedelta(seconds=rng.uniform(0, 600))


KINDS: dict[str, Callable[[random.Random, datetime, datetime], datetime]] = {
    "month end": _month_end,
    "first of a month": _first_of_month,
    "29 February": _leap_day,
    "New Year's Eve": _new_year,
}


def pick(rng: random.Random, now: datetime) -> tuple[datetime, str]:
    """A moment between ``now`` and five years ahead, and what kind of moment it is."""
    end = now + timedelta(days=365 * YEARS_AHEAD + 1)
    if rng.random() < 0.5:
        return _any_moment(rng, now, end).replace(microsecond=0), "any moment"
    kind = rng.choice(sorted(KINDS))
    return KINDS[kind](rng, now, end).replace(microsecond=0), kind


def parse(text: str) -> datetime:
    """``2029-02-28T23:55:00Z`` (or without zone, read as UTC) -> an aware datetime."""
    when = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when


def stamp(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", default="", help="the moment to start at (else a random one)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = [c for c in args.command if c != "--"] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    faketime = shutil.which("faketime")
    if faketime is None:
        print("faketime is missing: `make system-deps` installs Debian's package", file=sys.stderr)
        return 2
    now = datetime.now(timezone.utc)  # the real clock: the run is moved relative to it
    if args.date:
        when, kind = parse(args.date), "given"
    else:
        when, kind = pick(random.Random(), now)
    offset = round((when - datetime.now(timezone.utc)).total_seconds())
    print(
        f"\n== faketime: system clock moved to {stamp(when)} ({kind}), clock running; "
        f"reproduce with: make test FAKE_DATE={stamp(when)}\n",
        flush=True,
    )
    # Every Python process of the run loads faketime_site/sitecustomize.py (its docstring: a
    # libfaketime bug in time.sleep).
    site = os.path.join(os.path.dirname(os.path.abspath(__file__)), "faketime_site")
    path = os.pathsep.join(p for p in (site, os.environ.get("PYTHONPATH", "")) if p)
    env = dict(os.environ, PPV2KIT_FAKE_DATE=stamp(when), PYTHONPATH=path)
    spec = f"{offset:+d}"
    return subprocess.call([faketime, "-m", "--exclude-monotonic", "-f", spec, *command], env=env)


if __name__ == "__main__":
    sys.exit(main())
