"""Assertions for AWS errors as botocore reports them."""

from __future__ import annotations

from collections.abc import Callable
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
