"""Verified destination numbers: create, code, verify, describe, delete; quota and conflicts."""

from __future__ import annotations

from tests.support import aws_error


def _code(sandbox, ident):
    return sandbox.verification_code(ident)


def test_verification_flow(client, sandbox):
    created = client.create_verified_destination_number(DestinationPhoneNumber="+12065550142")
    ident = created["VerifiedDestinationNumberId"]
    assert ident.startswith("vdn-") and created["Status"] == "PENDING"
    assert created["VerifiedDestinationNumberArn"].endswith(f":verified-destination-number/{ident}")
    aws_error(
        lambda: client.verify_destination_number(
            VerifiedDestinationNumberId=ident, VerificationCode="000000"
        ),
        "ValidationException",
        "VERIFICATION_CODE_MISMATCH",
    )
    sent = client.send_destination_number_verification_code(
        VerifiedDestinationNumberId=ident, VerificationChannel="TEXT"
    )
    assert len(sent["MessageId"]) == 36
    code = _code(sandbox, ident)
    assert code is not None and len(code) == 6
    done = client.verify_destination_number(
        VerifiedDestinationNumberId=ident, VerificationCode=code
    )
    assert done["Status"] == "VERIFIED"
    aws_error(
        lambda: client.send_destination_number_verification_code(
            VerifiedDestinationNumberId=ident, VerificationChannel="TEXT"
        ),
        "ConflictException",
        "VERIFICATION_ALREADY_COMPLETE",
    )
    listed = client.describe_verified_destination_numbers(DestinationPhoneNumbers=["12065550142"])[
        "VerifiedDestinationNumbers"
    ]
    assert [v["Status"] for v in listed] == ["VERIFIED"]
    filtered = client.describe_verified_destination_numbers(
        Filters=[{"Name": "status", "Values": ["PENDING"]}]
    )["VerifiedDestinationNumbers"]
    assert filtered == []
    gone = client.delete_verified_destination_number(VerifiedDestinationNumberId=ident)
    assert gone["DestinationPhoneNumber"] == "+12065550142"
    aws_error(
        lambda: client.delete_verified_destination_number(VerifiedDestinationNumberId=ident),
        "ResourceNotFoundException",
        ResourceType="verified-destination-number",
        ResourceId=ident,
    )


def test_an_expired_code_is_refused(client, sandbox):
    ident = client.create_verified_destination_number(DestinationPhoneNumber="+12065550143")[
        "VerifiedDestinationNumberId"
    ]
    client.send_destination_number_verification_code(
        VerifiedDestinationNumberId=ident, VerificationChannel="VOICE"
    )
    code = _code(sandbox, ident)
    sandbox.advance(25 * 3600)
    aws_error(
        lambda: client.verify_destination_number(
            VerifiedDestinationNumberId=ident, VerificationCode=code
        ),
        "ConflictException",
        "VERIFICATION_CODE_EXPIRED",
    )


def test_duplicates_and_quota(client, sandbox):
    client.create_verified_destination_number(DestinationPhoneNumber="+12065550144")
    aws_error(
        lambda: client.create_verified_destination_number(DestinationPhoneNumber="12065550144"),
        "ConflictException",
        "RESOURCE_ALREADY_EXISTS",
    )
    sandbox.set_account_limit("VERIFIED_DESTINATION_NUMBERS", 1)
    aws_error(
        lambda: client.create_verified_destination_number(DestinationPhoneNumber="+12065550145"),
        "ServiceQuotaExceededException",
        "VERIFIED_DESTINATION_NUMBERS_PER_ACCOUNT",
    )
    limits = {a["Name"]: a for a in client.describe_account_limits()["AccountLimits"]}
    assert limits["VERIFIED_DESTINATION_NUMBERS"] == {
        "Name": "VERIFIED_DESTINATION_NUMBERS",
        "Used": 1,
        "Max": 1,
    }


def test_admin_verification_is_immediate(client, sandbox):
    sandbox.verify_destination("+12065550146")
    listed = client.describe_verified_destination_numbers()["VerifiedDestinationNumbers"]
    assert [(v["DestinationPhoneNumber"], v["Status"]) for v in listed] == [
        ("+12065550146", "VERIFIED")
    ]
