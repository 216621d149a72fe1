"""Assertions for AWS errors as botocore reports them."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError


def aws_error(
    call: Callable[..., Any], code: str, reason: str | None = None, **members: Any
) -> dict[str, Any]:
    """Run ``call``; assert it fails with ``code`` (and ``Reason``/members); return the response."""
    with pytest.raises(ClientError) as info:
        call()
    response = info.value.response
    assert response["Error"]["Code"] == code, response
    if reason is not None:
        assert response.get("Reason") == reason, response
    for name, value in members.items():
        assert response.get(name) == value, (name, response)
    assert response["ResponseMetadata"]["RequestId"], response
    return response


def field_names(response: dict[str, Any]) -> list[str]:
    """The member names a ValidationException's ``Fields`` lists."""
    return [f["Name"] for f in response.get("Fields", [])]


def serve_persisted(state: Path) -> tuple[subprocess.Popen[str], str]:
    """Start ``ppv2kit sandbox serve --state FILE --port 0``; the process and its URL."""
    script = Path(sys.executable).with_name("ppv2kit")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "ppv2kit.cli"]
    process = subprocess.Popen(
        [*command, "sandbox", "serve", "--state", str(state), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None and process.stderr is not None
    ready, _, _ = select.select([process.stdout], [], [], 60)
    line = process.stdout.readline() if ready else ""
    match = re.search(r"listening on (http://\S+)", line)
    if match is None:
        process.kill()
        raise AssertionError(f"no URL from the server: {line!r} {process.stderr.read()!r}")
    return process, match[1]
