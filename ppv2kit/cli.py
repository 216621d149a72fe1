"""The ``ppv2kit`` command: ``ppv2kit sandbox serve``, ``ppv2kit run``, ``ppv2kit snapshot``."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

Command = Callable[[argparse.Namespace], int]


def load_credentials(path: str) -> dict[str, str]:
    """Access key ID -> secret access key, from a JSON object or an AWS credentials file.

    The INI form is the AWS shared-credentials file (``aws_access_key_id`` and
    ``aws_secret_access_key`` in each profile section). Raises ``ValueError`` (naming the file,
    never a secret) when it holds no key.
    """
    import configparser
    import json
    from pathlib import Path

    text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        keys = {str(k): str(v) for k, v in data.items() if k and v}
    else:
        ini = configparser.ConfigParser(interpolation=None)
        try:
            ini.read_string(text)
        except configparser.Error:
            raise ValueError(f"{path} is neither JSON nor an AWS credentials file") from None
        keys = {}
        for section in ini.sections():
            access_key = ini[section].get("aws_access_key_id", "").strip()
            secret = ini[section].get("aws_secret_access_key", "").strip()
            if access_key and secret:
                keys[access_key] = secret
    if not keys:
        raise ValueError(f"{path} holds no access keys")
    return keys


def _serve(args: argparse.Namespace) -> int:
    from .sandbox import Sandbox

    keys = None
    if args.credentials and not args.verify_signatures:
        print("--credentials is only used with --verify-signatures", file=sys.stderr)
        return 2
    if args.verify_signatures:
        if not args.credentials:
            print("--verify-signatures needs --credentials FILE", file=sys.stderr)
            return 2
        try:
            keys = load_credentials(args.credentials)
        except (OSError, ValueError) as err:
            print(f"cannot read access keys: {err}", file=sys.stderr)
            return 2
    sandbox = Sandbox(seed=args.seed, state_path=args.state)
    server = sandbox.serve(host=args.host, port=args.port, credentials=keys)
    url = server.url
    auth = (
        f"  Signatures verified: {len(keys)} access key(s) from {args.credentials}; a 12-digit "
        "access key id selects that account.\n"
        if keys
        else "  Any SigV4 credentials work; a 12-digit access key id selects that account.\n"
    )
    regions = ", ".join(sandbox.regions()) or "any (state is created on first use)"
    print(f"ppv2kit sandbox listening on {url}", flush=True)
    print(
        f"  seed: {args.seed or 'none'}   state: {args.state or 'in memory'}   regions: {regions}\n"
        f"{auth}"
        "  AWS CLI:  AWS_ACCESS_KEY_ID=123456789012 AWS_SECRET_ACCESS_KEY=x \\\n"
        f"            aws pinpoint-sms-voice-v2 describe-phone-numbers --region us-east-1 "
        f"--endpoint-url {url}\n"
        f"  Python:   ppv2kit.connect(endpoint_url={url!r})\n"
        "  Stop with Ctrl-C.",
        flush=True,
    )
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"  WARNING: listening on {args.host}, reachable from other machines.", flush=True)
    stop = {"now": False}

    def _terminate(*_: object) -> None:
        stop["now"] = True
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        signal.pause() if hasattr(signal, "pause") else server._thread.join()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        sandbox.close()
    return 0


def _backend_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--sandbox", metavar="SEED", help="read the offline sandbox with this seed")
    where.add_argument("--profile", metavar="P", help="read AWS with this profile")
    parser.add_argument("--regions", nargs="+", metavar="REGION", help="regions to read")
    parser.add_argument(
        "--now", metavar="TIME", help="sandbox only: its clock (e.g. 2026-11-27T15:00Z)"
    )


def _run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .analysis.reports import parse_value, run_notebook

    params = {name: parse_value(value) for name, value in args.parameters or []}
    if args.sandbox:
        params.update(SANDBOX=args.sandbox, PROFILE=None)
    if args.profile:
        params.update(SANDBOX=None, PROFILE=args.profile)
    if args.regions:
        params["REGIONS"] = list(args.regions)
    if args.now:
        params["NOW"] = args.now
    output = args.output or f"{Path(args.notebook).stem}.html"
    result = run_notebook(
        args.notebook,
        output,
        params,
        timeout=args.timeout,
        no_input=not args.show_code,
        notebook_output=args.notebook_output,
    )
    for name in result.unknown:
        print(f"warning: {name} is not a parameter of {args.notebook}", file=sys.stderr)
    if result.error:
        last = [line for line in result.error.strip().splitlines() if line.strip()][-1:]
        print(f"FAILED after {result.seconds:.1f} s: {' '.join(last)}", file=sys.stderr)
        print(f"report with the error: {result.output}", file=sys.stderr)
        return 1
    print(f"{args.notebook} ran in {result.seconds:.1f} s -> {result.output}", flush=True)
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    from .analysis import notebook_kit, take_snapshot

    kit = notebook_kit(
        sandbox=args.sandbox, profile=args.profile, regions=args.regions, now=args.now
    )
    snap = take_snapshot(kit, args.history, kinds=args.kinds, warn_at=args.warn_at)
    print(f"{kit.backend} {', '.join(kit.accounts)}", flush=True)
    print("\n".join(snap.lines()), flush=True)
    return 0


def _add_report_commands(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="execute a notebook headless and write an HTML report",
        description="Execute NOTEBOOK with nbclient (parameters injected after its "
        "'parameters' cell) and write an HTML report. Exit status 1 when a cell fails "
        "(the report then shows the error).",
    )
    run.add_argument("notebook", metavar="NOTEBOOK", help="the .ipynb file")
    run.add_argument(
        "-p",
        "--parameter",
        dest="parameters",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="set a parameter (a Python literal, else text); repeatable",
    )
    _backend_arguments(run)
    run.add_argument("-o", "--output", metavar="FILE", help="the HTML report (NOTEBOOK.html)")
    run.add_argument("--notebook-output", metavar="FILE", help="also save the executed notebook")
    code = run.add_mutually_exclusive_group()
    code.add_argument(
        "--show-code", action="store_true", help="include the code cells in the report"
    )
    code.add_argument(
        "--no-input", action="store_true", help="hide the code in the report (the default)"
    )
    run.add_argument("--timeout", type=int, default=600, help="seconds a cell may run (600)")
    run.set_defaults(func=_run)

    snap = commands.add_parser(
        "snapshot",
        help="record spend and inventory in the history file (for cron)",
        description="Read month-to-date spend, limits and inventory totals and append them to "
        "the history SQLite file, so scheduled runs build a trend.",
    )
    snap.add_argument(
        "--history",
        metavar="FILE",
        help="the history file ($PPV2KIT_HISTORY or ~/.ppv2kit/history.sqlite)",
    )
    _backend_arguments(snap)
    snap.add_argument(
        "--kinds", nargs="+", default=["TEXT", "VOICE"], help="spend kinds (TEXT VOICE MEDIA)"
    )
    snap.add_argument("--warn-at", type=float, default=0.8, help="warning share of the limit")
    snap.set_defaults(func=_snapshot)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``ppv2kit`` command."""
    parser = argparse.ArgumentParser(prog="ppv2kit", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log requests")
    commands = parser.add_subparsers(dest="command", required=True)

    sandbox = commands.add_parser("sandbox", help="the offline emulator of the API")
    sandbox_cmds = sandbox.add_subparsers(dest="sandbox_command", required=True)
    serve = sandbox_cmds.add_parser("serve", help="serve the sandbox over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    serve.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    serve.add_argument("--seed", choices=("demo", "large"), help="start from a seeded account")
    serve.add_argument("--state", metavar="FILE", help="keep state in this SQLite file")
    serve.add_argument(
        "--verify-signatures",
        action="store_true",
        help="serve only requests SigV4-signed with a key from --credentials",
    )
    serve.add_argument(
        "--credentials",
        metavar="FILE",
        help="access keys for --verify-signatures: an AWS credentials file (INI) or a JSON "
        "object {access key id: secret}",
    )
    serve.set_defaults(func=_serve)
    _add_report_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ppv2kit`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    func: Command = args.func
    return func(args)


if __name__ == "__main__":
    sys.exit(main())
