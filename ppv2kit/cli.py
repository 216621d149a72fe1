"""The ``ppv2kit`` command: ``ppv2kit sandbox serve`` and friends."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Callable, Sequence

Command = Callable[[argparse.Namespace], int]


def _serve(args: argparse.Namespace) -> int:
    from .sandbox import Sandbox

    sandbox = Sandbox(seed=args.seed, state_path=args.state)
    server = sandbox.serve(host=args.host, port=args.port)
    url = server.url
    regions = ", ".join(sandbox.regions()) or "any (state is created on first use)"
    print(f"ppv2kit sandbox listening on {url}", flush=True)
    print(
        f"  seed: {args.seed or 'none'}   state: {args.state or 'in memory'}   regions: {regions}\n"
        "  Any SigV4 credentials work; a 12-digit access key id selects that account.\n"
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
    serve.set_defaults(func=_serve)
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
