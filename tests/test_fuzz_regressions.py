"""Requests the fuzz campaigns found mishandled, kept as plain examples through both transports.

Each was shrunk by hypothesis from a generated request; the test names the answer it got then.
"""

from __future__ import annotations

from tests.support import aws_error, field_names

NUMBER = {
    "IsoCountryCode": "US",
    "MessageType": "TRANSACTIONAL",
    "NumberCapabilities": ["SMS"],
    "NumberType": "TOLL_FREE",
}


def test_a_next_token_with_non_ascii_characters_is_invalid_not_a_server_error(client):
    """Was HTTP 500: ``hmac.compare_digest`` refuses non-ASCII str (paging.decode_token)."""
    for token in ("é", "abc.é", "€.ab"):
        response = aws_error(
            lambda t=token: client.describe_account_attributes(NextToken=t),
            "ValidationException",
            "INVALID_NEXT_TOKEN",
        )
        assert field_names(response) == ["NextToken"]


def test_a_keyword_longer_than_30_once_upper_cased_is_refused(client):
    """Was accepted and stored as 32 characters ("ß".upper() == "SS"): answers broke the
    output shape's 30-character maximum for ``Keyword`` (ops/keywords.put_keyword)."""
    phone = client.request_phone_number(**NUMBER)["PhoneNumberId"]
    response = aws_error(
        lambda: client.put_keyword(
            OriginationIdentity=phone, Keyword="ß" * 16, KeywordMessage="hello"
        ),
        "ValidationException",
        "INVALID_PARAMETER",
    )
    assert field_names(response) == ["Keyword"]
    assert (
        client.put_keyword(OriginationIdentity=phone, Keyword="ß" * 15, KeywordMessage="hi")[
            "Keyword"
        ]
        == "SS" * 15
    )
    words = [k["Keyword"] for k in client.describe_keywords(OriginationIdentity=phone)["Keywords"]]
    assert all(len(w) <= 30 for w in words)
