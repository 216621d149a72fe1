"""SendVoiceMessage through both transports: identities, body, sandbox limits, price and spend."""

from __future__ import annotations

import pytest

from tests.sending_support import (
    ACCOUNT,
    SIM_FAIL,
    SIM_OK,
    config_set,
    logged,
    month_spend,
    number,
    row,
)
from tests.support import aws_error, field_names

US_MINUTE = 0.013  # catalog price of a started minute of voice to the US
DAY = 24 * 3600


def call(client, origination, to=SIM_OK, body="Your code is 1 2 3 4 5 6", **params):
    return client.send_voice_message(
        DestinationPhoneNumber=to, OriginationIdentity=origination, MessageBody=body, **params
    )


def voice_number(client, number_type="TOLL_FREE", country="US"):
    return number(client, number_type, country, capabilities=("SMS", "VOICE"))


def words(count):
    return " ".join(["go"] * count)


def test_a_call_is_logged_priced_by_the_started_minute(client, sandbox):
    toll_free = voice_number(client)
    sent = call(client, toll_free["PhoneNumberArn"], VoiceId="JOANNA")
    logged_row = row(sandbox, sent["MessageId"])
    assert (logged_row["Channel"], logged_row["Status"]) == ("VOICE", "COMPLETED")
    assert logged_row["OriginationIdentity"] == toll_free["PhoneNumberId"]
    assert logged_row["OriginationPhoneNumber"] == toll_free["PhoneNumber"]
    assert (logged_row["VoiceId"], logged_row["MessageBodyTextType"]) == ("JOANNA", "TEXT")
    assert (logged_row["DurationSeconds"], logged_row["BilledMinutes"]) == (4, 1)  # 9 words
    assert (logged_row["UnitPrice"], logged_row["Price"]) == (US_MINUTE, US_MINUTE)
    assert month_spend(sandbox, "VOICE") == US_MINUTE and month_spend(sandbox) == 0.0
    failed = row(sandbox, call(client, toll_free["PhoneNumberId"], to=SIM_FAIL)["MessageId"])
    assert (failed["Status"], failed["VoiceId"]) == ("FAILED", "MATTHEW")


def test_ssml_tags_are_not_spoken_and_long_calls_bill_more_minutes(client, sandbox):
    sandbox.set_account_tier("PRODUCTION")
    toll_free = voice_number(client)
    ssml = f"<speak><prosody rate='slow'>{words(200)}</prosody></speak>"
    sent = row(
        sandbox,
        call(client, toll_free["PhoneNumberId"], body=ssml, MessageBodyTextType="SSML")[
            "MessageId"
        ],
    )
    assert (sent["DurationSeconds"], sent["BilledMinutes"]) == (80, 2)
    assert sent["Price"] == round(2 * US_MINUTE, 5)


def test_calls_need_a_voice_capable_number_or_pool(client, sandbox):
    sms_only = number(client, "TOLL_FREE")
    before = logged(sandbox)
    bad = aws_error(
        lambda: call(client, sms_only["PhoneNumberId"]),
        "ValidationException",
        "VOICE_CAPABILITY_NOT_AVAILABLE",
    )
    assert field_names(bad) == ["OriginationIdentity"]
    pool = client.create_pool(
        OriginationIdentity=sms_only["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )
    aws_error(
        lambda: call(client, pool["PoolId"]),
        "ValidationException",
        "VOICE_CAPABILITY_NOT_AVAILABLE",
    )
    assert logged(sandbox) == before


def test_a_pool_calls_through_its_voice_capable_member(client, sandbox):
    sms_only = number(client, "TOLL_FREE")
    voice = voice_number(client)
    pool = client.create_pool(
        OriginationIdentity=sms_only["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )
    client.associate_origination_identity(
        PoolId=pool["PoolId"], OriginationIdentity=voice["PhoneNumberId"]
    )
    sent = row(sandbox, call(client, pool["PoolArn"])["MessageId"])
    assert (sent["OriginationIdentity"], sent["OriginationIdentityType"]) == (
        pool["PoolId"],
        "POOL",
    )
    assert sent["OriginationPhoneNumber"] == voice["PhoneNumber"]


def test_sender_ids_cannot_call(client, sandbox):
    sandbox.add_sender_id("JUNIPER", "GB")
    aws_error(
        lambda: call(client, "JUNIPER", to="+447860019066"),
        "ResourceNotFoundException",
        ResourceType="phone-number",
    )
    arn = f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:sender-id/JUNIPER/GB"
    aws_error(lambda: call(client, arn, to="+447860019066"), "ValidationException", "INVALID_ARN")


def test_body_limits_depend_on_the_text_type_and_the_tier(client, sandbox):
    toll_free = voice_number(client)
    aws_error(
        lambda: client.send_voice_message(
            DestinationPhoneNumber=SIM_OK, OriginationIdentity=toll_free["PhoneNumberId"]
        ),
        "ValidationException",
        "MISSING_PARAMETER",
    )
    # TEXT holds 3000 characters, SSML the model's 6000
    too_long = aws_error(
        lambda: call(client, toll_free["PhoneNumberId"], body="a" * 3001),
        "ValidationException",
        "MAXIMUM_SIZE_EXCEEDED",
    )
    assert field_names(too_long) == ["MessageBody"]
    # a sandbox call lasts 30 seconds: 75 words at 150 a minute
    call(client, toll_free["PhoneNumberId"], body=words(75))
    aws_error(
        lambda: call(client, toll_free["PhoneNumberId"], body=words(76)),
        "ValidationException",
        "MAXIMUM_SIZE_EXCEEDED",
    )
    sandbox.set_account_tier("PRODUCTION")
    call(client, toll_free["PhoneNumberId"], body=words(750))  # five minutes
    aws_error(
        lambda: call(client, toll_free["PhoneNumberId"], body=words(751)),
        "ValidationException",
        "MAXIMUM_SIZE_EXCEEDED",
    )
    ssml = f"<speak>{'a ' * 2990}</speak>"  # 5995 characters but 2990 words: too long a call
    aws_error(
        lambda: call(client, toll_free["PhoneNumberId"], body=ssml, MessageBodyTextType="SSML"),
        "ValidationException",
        "MAXIMUM_SIZE_EXCEEDED",
    )


def test_a_sandbox_account_calls_verified_numbers_in_the_sandbox_countries(client, sandbox):
    fr = number(client, "LONG_CODE", "FR", capabilities=("SMS", "VOICE"))
    us = voice_number(client)
    aws_error(
        lambda: call(client, us["PhoneNumberId"], to="+12065550100"),
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_NOT_VERIFIED",
    )
    sandbox.verify_destination("+33612345678")
    blocked = aws_error(
        lambda: call(client, fr["PhoneNumberId"], to="+33612345678"),
        "ValidationException",
        "DESTINATION_COUNTRY_BLOCKED",
    )
    assert field_names(blocked) == ["DestinationPhoneNumber"]
    sandbox.set_account_tier("PRODUCTION")
    sent = row(sandbox, call(client, fr["PhoneNumberId"], to="+33612345678")["MessageId"])
    assert (sent["IsoCountryCode"], sent["Price"]) == ("FR", 0.05)


def test_a_sandbox_account_makes_five_calls_a_recipient_and_twenty_a_day(client, sandbox):
    toll_free = voice_number(client)
    verified = ["+12065550101", "+12065550102"]
    for recipient in verified:
        sandbox.verify_destination(recipient)
    recipients = [SIM_OK, SIM_FAIL, *verified]
    for _ in range(5):
        call(client, toll_free["PhoneNumberId"], to=SIM_OK)
    before = logged(sandbox)
    aws_error(
        lambda: call(client, toll_free["PhoneNumberId"], to=SIM_OK),
        "ServiceQuotaExceededException",
        "DAILY_DESTINATION_CALL_LIMIT",
    )
    assert logged(sandbox) == before
    for recipient in recipients[1:]:
        for _ in range(5):
            call(client, toll_free["PhoneNumberId"], to=recipient)
    sandbox.verify_destination("+12065550103")
    aws_error(
        lambda: call(client, toll_free["PhoneNumberId"], to="+12065550103"),
        "ServiceQuotaExceededException",
        "DAILY_DESTINATION_CALL_LIMIT",
    )
    sandbox.advance(DAY)
    call(client, toll_free["PhoneNumberId"], to="+12065550103")
    call(client, toll_free["PhoneNumberId"], to=SIM_OK)


def test_max_price_per_minute_and_the_voice_spend_limit(client, sandbox):
    toll_free = voice_number(client)
    bad = aws_error(
        lambda: call(client, toll_free["PhoneNumberId"], MaxPricePerMinute="0.0129"),
        "ValidationException",
        "PRICE_OVER_THRESHOLD",
    )
    assert field_names(bad) == ["MaxPricePerMinute"]
    call(client, toll_free["PhoneNumberId"], MaxPricePerMinute="0.013")
    client.set_voice_message_spend_limit_override(MonthlyLimit=0)
    before = logged(sandbox)
    refused = aws_error(
        lambda: call(client, toll_free["PhoneNumberId"]),
        "ServiceQuotaExceededException",
        "MONTHLY_SPEND_LIMIT_REACHED_FOR_VOICE",
    )
    assert "MONTHLY_SPEND_LIMIT_REACHED_FOR_VOICE" in refused["Error"]["Message"]
    assert logged(sandbox) == before
    # the text limit is separate
    client.send_text_message(
        DestinationPhoneNumber=SIM_OK,
        OriginationIdentity=toll_free["PhoneNumberId"],
        MessageBody="still fine",
    )


def test_opted_out_recipients_are_not_called(client, sandbox):
    toll_free = voice_number(client)
    client.put_opted_out_number(OptOutListName="Default", OptedOutNumber=SIM_OK)
    aws_error(
        lambda: call(client, toll_free["PhoneNumberId"]),
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
    )


@pytest.mark.parametrize("dry_run", [True, False])
def test_dry_run_calls_record_nothing(client, sandbox, dry_run):
    toll_free = voice_number(client)
    cs = config_set(client, calls=["VOICE_ALL"])
    call(client, toll_free["PhoneNumberId"], ConfigurationSetName=cs, DryRun=dry_run)
    expected = (0, 0) if dry_run else (1, 4)
    assert logged(sandbox)[:2] == expected
    assert month_spend(sandbox, "VOICE") == (0.0 if dry_run else US_MINUTE)
