"""SendMediaMessage through both transports: media URLs, identities, price, events, spend."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.sending_support import (
    SIM_FAIL,
    SIM_OK,
    config_set,
    logged,
    month_spend,
    number,
    row,
)
from tests.support import aws_error, field_names

NOW = datetime(2026, 4, 14, 12, tzinfo=UTC)
pytestmark = pytest.mark.sandbox_clock(NOW)
IMAGE = "s3://my-media-bucket/campaigns/spring.png"
US_MMS = 0.02


def mms_number(client, **extra):
    return number(client, capabilities=("SMS", "MMS"), **extra)


def send(client, origination, to=SIM_OK, **params):
    params.setdefault("MediaUrls", [IMAGE])
    if params["MediaUrls"] is None:
        del params["MediaUrls"]
    return client.send_media_message(
        DestinationPhoneNumber=to, OriginationIdentity=origination, **params
    )


def test_an_mms_is_logged_priced_as_one_part_and_charged_to_the_media_spend(client, sandbox):
    phone = mms_number(client)
    sent = send(client, phone["PhoneNumberId"], MessageBody="Spring sale!")["MessageId"]
    found = row(sandbox, sent)
    assert (found["Channel"], found["Status"], found["Parts"]) == ("MEDIA", "DELIVERED", 1)
    assert found["Price"] == US_MMS and found["CarrierFee"] == 0.0
    assert found["MessageBody"] == "Spring sale!"
    assert list(found["MediaUrls"]) == [IMAGE]  # the messages frame names the files
    assert found["OriginationIdentityType"] == "PHONE_NUMBER"
    assert month_spend(sandbox, "MEDIA") == US_MMS and month_spend(sandbox) == 0.0
    # A body alone or a media file alone is an MMS too.
    send(client, phone["PhoneNumberArn"], MediaUrls=None, MessageBody="text only")
    send(client, phone["PhoneNumber"])
    assert month_spend(sandbox, "MEDIA") == pytest.approx(3 * US_MMS)


def test_media_urls_must_name_a_supported_file_type_in_s3(client, sandbox):
    phone = mms_number(client)["PhoneNumberId"]
    before = logged(sandbox)
    for url in ("s3://bucket/file.exe", "s3://bucket/folder.png/noextension"):
        error = aws_error(
            lambda u=url: send(client, phone, MediaUrls=[u]),
            "ValidationException",
            "MEDIA_TYPE_NOT_SUPPORTED",
        )
        assert field_names(error) == ["MediaUrls"]
    aws_error(
        lambda: send(client, phone, MediaUrls=["https://example.com/a.png"]),
        "ValidationException",
    )
    aws_error(
        lambda: send(client, phone, MediaUrls=[IMAGE, IMAGE]),
        "ValidationException",
    )
    error = aws_error(lambda: send(client, phone, MediaUrls=None), "ValidationException")
    assert error["Reason"] == "MISSING_PARAMETER"
    for url in ("s3://b-1.x/a/b/photo.JPEG", "s3://bucket/doc.pdf", "s3://bucket/clip.mp4"):
        send(client, phone, MediaUrls=[url])
    assert logged(sandbox)[0] == before[0] + 3


def test_the_origination_identity_must_be_able_to_send_mms(client, sandbox):
    sms_only = number(client)
    error = aws_error(
        lambda: send(client, sms_only["PhoneNumberId"]), "ValidationException", "INVALID_PARAMETER"
    )
    assert field_names(error) == ["OriginationIdentity"]
    pool = client.create_pool(
        OriginationIdentity=sms_only["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )
    aws_error(
        lambda: send(client, pool["PoolId"]),
        "ConflictException",
        "NO_ORIGINATION_IDENTITIES_FOUND",
    )
    mms = mms_number(client)
    client.associate_origination_identity(
        PoolId=pool["PoolId"], OriginationIdentity=mms["PhoneNumberId"], IsoCountryCode="US"
    )
    sent = send(client, pool["PoolArn"])["MessageId"]
    assert row(sandbox, sent)["OriginationPhoneNumber"] == mms["PhoneNumber"]
    aws_error(
        lambda: send(client, "phone-" + "0" * 32),
        "ResourceNotFoundException",
        ResourceType="phone-number",
    )


def test_dry_run_max_price_opt_outs_and_protect_configurations_are_checked(client, sandbox):
    phone = mms_number(client)["PhoneNumberId"]
    before = logged(sandbox)
    assert send(client, phone, DryRun=True)["MessageId"]
    assert logged(sandbox) == before and month_spend(sandbox, "MEDIA") == 0.0
    aws_error(
        lambda: send(client, phone, MaxPrice="0.01"), "ValidationException", "PRICE_OVER_THRESHOLD"
    )
    aws_error(
        lambda: send(client, phone, ProtectConfigurationId="protect-" + "0" * 32),
        "ResourceNotFoundException",
    )
    aws_error(
        lambda: send(client, phone, ConfigurationSetName="missing"), "ResourceNotFoundException"
    )
    client.put_opted_out_number(OptOutListName="Default", OptedOutNumber=SIM_OK)
    aws_error(
        lambda: send(client, phone), "ConflictException", "DESTINATION_PHONE_NUMBER_OPTED_OUT"
    )


def test_media_events_go_to_the_configuration_sets_destinations(client, sandbox):
    phone = mms_number(client)["PhoneNumberId"]
    cs = config_set(client, "mms", media=["MEDIA_ALL"], text=["TEXT_ALL"])
    ok = send(client, phone, ConfigurationSetName=cs, Context={"k": "v"})["MessageId"]
    failed = send(client, phone, to=SIM_FAIL, ConfigurationSetName=cs)["MessageId"]
    events = sandbox.events()
    assert set(events["EventDestinationName"]) == {"media"}
    mine = events[events["messageId"] == ok]
    assert list(mine["eventType"]) == ["MEDIA_SUCCESSFUL", "MEDIA_DELIVERED"]
    record = mine.iloc[-1]["Record"]
    assert record["totalMessagePrice"] == US_MMS and record["totalMessageParts"] == 1
    assert record["context"] == {"k": "v"} and "voiceId" not in record
    theirs = events[events["messageId"] == failed]
    assert list(theirs["eventType"]) == ["MEDIA_UNREACHABLE"]
    # Feedback on an MMS emits a MEDIA event.
    fed = send(client, phone, ConfigurationSetName=cs, MessageFeedbackEnabled=True)["MessageId"]
    client.put_message_feedback(MessageId=fed, MessageFeedbackStatus="RECEIVED")
    events = sandbox.events()
    records = events[events["messageId"] == fed]["Record"]
    feedback = [r for r in records if "messageFeedbackStatus" in r]
    assert [(r["eventType"], r["messageFeedbackStatus"]) for r in feedback] == [
        ("MEDIA_DELIVERED", "RECEIVED")
    ]


def test_the_media_spend_limit_holds_and_cloudwatch_reports_media_spend(
    client, sandbox, make_client
):
    phone = mms_number(client)["PhoneNumberId"]
    client.set_media_message_spend_limit_override(MonthlyLimit=1)
    for _ in range(50):
        send(client, phone)
    aws_error(
        lambda: send(client, phone),
        "ServiceQuotaExceededException",
        "MONTHLY_SPEND_LIMIT_REACHED_FOR_MEDIA",
    )
    cw = make_client(service="cloudwatch")
    stats = cw.get_metric_statistics(
        Namespace="AWS/SMSVoice",
        MetricName="MediaMessageMonthlySpend",
        StartTime=NOW - timedelta(hours=1),
        EndTime=NOW + timedelta(hours=1),
        Period=3600,
        Statistics=["Maximum"],
    )
    assert max(p["Maximum"] for p in stats["Datapoints"]) == pytest.approx(1.0)


def test_another_account_sends_mms_through_a_pool_shared_for_media(client, make_client, sandbox):
    phone = mms_number(client)
    pool = client.create_pool(
        OriginationIdentity=phone["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )
    consumer = make_client(account="210987654321")

    def share(action: str) -> None:
        statement = {"Effect": "Allow", "Principal": {"AWS": "210987654321"}, "Action": action}
        client.put_resource_policy(
            ResourceArn=pool["PoolArn"], Policy=json.dumps({"Statement": [statement]})
        )

    share("sms-voice:SendTextMessage")
    aws_error(lambda: send(consumer, pool["PoolArn"]), "ResourceNotFoundException")
    share("sms-voice:SendMediaMessage")
    sent = send(consumer, pool["PoolArn"])["MessageId"]
    found = row(sandbox, sent)
    assert found["Account"] == "210987654321" and found["Channel"] == "MEDIA"


def test_protect_configurations_apply_to_media_by_the_mms_rule_set(client, sandbox):
    phone = mms_number(client)["PhoneNumberId"]
    ident = client.create_protect_configuration()["ProtectConfigurationId"]

    def rule(capability, status):
        client.update_protect_configuration_country_rule_set(
            ProtectConfigurationId=ident,
            NumberCapability=capability,
            CountryRuleSetUpdates={"US": {"ProtectStatus": status}},
        )

    rule("SMS", "BLOCK")  # the SMS rule set says nothing of media
    sent = send(client, phone, ProtectConfigurationId=ident)["MessageId"]
    assert row(sandbox, sent)["Status"] == "DELIVERED"
    rule("MMS", "BLOCK")
    before = logged(sandbox)
    aws_error(
        lambda: send(client, phone, ProtectConfigurationId=ident),
        "ConflictException",
        "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
    )
    assert logged(sandbox) == before
    client.set_account_default_protect_configuration(ProtectConfigurationId=ident)
    aws_error(
        lambda: send(client, phone),
        "ConflictException",
        "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION",
    )
