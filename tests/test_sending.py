"""SendTextMessage through both transports: identities, recipients, body, price, spend, DryRun."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.sending_support import (
    ACCOUNT,
    GB_SIM_OK,
    SIM_FAIL,
    SIM_OK,
    US_FEE,
    US_PART,
    config_set,
    logged,
    month_spend,
    number,
    row,
    short_code,
)
from tests.support import aws_error, field_names

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def send(client, origination=None, to=SIM_OK, body="Your code is 123456", **params):
    if origination is not None:
        params["OriginationIdentity"] = origination
    return client.send_text_message(DestinationPhoneNumber=to, MessageBody=body, **params)


# -- origination identities ----------------------------------------------------------------------


def test_a_number_named_by_id_arn_or_e164_sends_and_the_message_is_logged(client, sandbox):
    sim = number(client)
    named = (sim["PhoneNumberId"], sim["PhoneNumberArn"], sim["PhoneNumber"].lstrip("+"))
    ids = [send(client, value)["MessageId"] for value in named]
    ids.append(send(client, sim["PhoneNumber"], to=SIM_OK.lstrip("+"))["MessageId"])
    assert all(UUID.fullmatch(i) for i in ids)
    log = sandbox.messages()
    assert list(log["MessageId"]) == ids
    first = row(sandbox, ids[0])
    assert first["OriginationIdentity"] == sim["PhoneNumberId"]
    assert first["OriginationIdentityArn"] == sim["PhoneNumberArn"]
    assert first["OriginationIdentityType"] == "PHONE_NUMBER"
    assert first["OriginationPhoneNumber"] == sim["PhoneNumber"]
    assert first["DestinationPhoneNumber"] == SIM_OK and first["IsoCountryCode"] == "US"
    assert (first["Channel"], first["Direction"], first["Origin"]) == ("TEXT", "OUTBOUND", "API")
    assert (first["MessageType"], first["Status"]) == ("TRANSACTIONAL", "DELIVERED")
    assert (first["Encoding"], first["Parts"], first["Price"]) == ("GSM", 1, US_PART)
    assert first["CarrierFee"] == 0.0  # simulator messages never reach a carrier
    assert first["TimeToLive"] == 72 * 3600 and first["OptOutListName"] == "Default"
    assert first["Account"] == ACCOUNT and first["Region"] == "us-east-1"
    assert row(sandbox, ids[-1])["DestinationPhoneNumber"] == SIM_OK


def test_unknown_or_pending_identities_are_refused(client, sandbox):
    aws_error(
        lambda: send(client, "phone-00000000000000000000000000000000"),
        "ResourceNotFoundException",
        ResourceType="phone-number",
    )
    aws_error(lambda: send(client, "+12065550100"), "ResourceNotFoundException")
    sandbox.provisioning_delay = 60
    pending = number(client)
    aws_error(
        lambda: send(client, pending["PhoneNumberId"]),
        "ConflictException",
        "RESOURCE_NOT_ACTIVE",
        ResourceId=pending["PhoneNumberId"],
    )
    sandbox.advance(61)
    send(client, pending["PhoneNumberId"])


def test_a_pool_sends_through_a_member_that_reaches_the_destination(client, sandbox):
    sandbox.set_account_tier("PRODUCTION")
    us = number(client, "TOLL_FREE")
    gb = number(client, "LONG_CODE", "GB")
    pool = client.create_pool(OriginationIdentity=us["PhoneNumberId"], MessageType="TRANSACTIONAL")
    client.associate_origination_identity(
        PoolId=pool["PoolId"], OriginationIdentity=gb["PhoneNumberId"]
    )
    to_gb = send(client, pool["PoolArn"], to="+447700900123")["MessageId"]
    to_us = send(client, pool["PoolId"], to="+12065550100")["MessageId"]
    gb_row, us_row = row(sandbox, to_gb), row(sandbox, to_us)
    assert (gb_row["OriginationIdentity"], gb_row["OriginationIdentityType"]) == (
        pool["PoolId"],
        "POOL",
    )
    assert gb_row["OriginationIdentityArn"] == pool["PoolArn"]
    assert gb_row["OriginationPhoneNumber"] == gb["PhoneNumber"]
    assert gb_row["IsoCountryCode"] == "GB" and gb_row["Price"] == 0.0399
    assert us_row["OriginationPhoneNumber"] == us["PhoneNumber"]
    aws_error(
        lambda: send(client, pool["PoolId"], to="+33612345678"),
        "ConflictException",
        "NO_ORIGINATION_IDENTITIES_FOUND",
        ResourceType="pool",
        ResourceId=pool["PoolId"],
    )


def test_a_pool_prefers_a_short_code_and_skips_identities_of_other_countries(client, sandbox):
    sandbox.set_account_tier("PRODUCTION")
    toll_free = number(client, "TOLL_FREE")
    short = short_code(client, sandbox)
    pool = client.create_pool(
        OriginationIdentity=toll_free["PhoneNumberId"], MessageType="TRANSACTIONAL"
    )
    client.associate_origination_identity(
        PoolId=pool["PoolId"], OriginationIdentity=short["PhoneNumberId"]
    )
    sandbox.add_sender_id("JUNIPER", "GB")
    client.associate_origination_identity(
        PoolId=pool["PoolId"], OriginationIdentity="JUNIPER", IsoCountryCode="GB"
    )
    chosen = row(sandbox, send(client, pool["PoolId"], to="+12065550100")["MessageId"])
    assert chosen["OriginationPhoneNumber"] == short["PhoneNumber"]
    by_sender = row(sandbox, send(client, pool["PoolId"], to="+447700900123")["MessageId"])
    assert by_sender["OriginationPhoneNumber"] == "JUNIPER"


def test_account_level_sends_choose_short_code_then_10dlc_then_toll_free(client, sandbox):
    sandbox.set_account_tier("PRODUCTION")
    to = "+12065550100"
    aws_error(
        lambda: send(client, to=to),
        "ConflictException",
        "NO_ORIGINATION_IDENTITIES_FOUND",
        ResourceType="account",
        ResourceId=ACCOUNT,
    )
    chosen = []
    for kind in ("TOLL_FREE", "TEN_DLC", "SHORT_CODE"):
        made = short_code(client, sandbox) if kind == "SHORT_CODE" else number(client, kind)
        sent = row(sandbox, send(client, to=to)["MessageId"])
        assert sent["OriginationIdentity"] == made["PhoneNumberId"]
        chosen.append(sent["OriginationPhoneNumber"])
    assert len(set(chosen)) == 3


def test_account_level_sends_prefer_the_message_type_and_the_configuration_set_default(
    client, sandbox
):
    sandbox.set_account_tier("PRODUCTION")
    promo = number(client, "TOLL_FREE", message_type="PROMOTIONAL")
    trans = number(client, "TOLL_FREE")
    to = "+12065550100"
    assert (
        row(sandbox, send(client, to=to)["MessageId"])["OriginationIdentity"]
        == (trans["PhoneNumberId"])
    )
    sent = row(sandbox, send(client, to=to, MessageType="PROMOTIONAL")["MessageId"])
    assert (sent["OriginationIdentity"], sent["MessageType"]) == (
        promo["PhoneNumberId"],
        "PROMOTIONAL",
    )
    config_set(client, "marketing")
    client.set_default_message_type(ConfigurationSetName="marketing", MessageType="PROMOTIONAL")
    sent = row(sandbox, send(client, to=to, ConfigurationSetName="marketing")["MessageId"])
    assert (sent["OriginationIdentity"], sent["MessageType"]) == (
        promo["PhoneNumberId"],
        "PROMOTIONAL",
    )
    assert sent["ConfigurationSetName"] == "marketing"


def test_account_level_sends_fall_back_on_sender_ids_then_the_default_sender_id(client, sandbox):
    config_set(client, "intl")
    client.set_default_sender_id(ConfigurationSetName="intl", SenderId="NOTIFY")
    by_default = row(sandbox, send(client, to=GB_SIM_OK, ConfigurationSetName="intl")["MessageId"])
    assert by_default["OriginationIdentity"] == "NOTIFY"
    assert by_default["OriginationPhoneNumber"] == "NOTIFY"
    assert by_default["OriginationIdentityType"] == "SENDER_ID"
    assert pd.isna(by_default["OriginationIdentityArn"])
    own = sandbox.add_sender_id("JUNIPER", "GB", registered=True)
    mine = row(sandbox, send(client, to=GB_SIM_OK, ConfigurationSetName="intl")["MessageId"])
    assert (mine["OriginationIdentity"], mine["OriginationIdentityArn"]) == (
        "JUNIPER",
        own["SenderIdArn"],
    )
    # a default sender ID is no use where sender IDs are not allowed
    aws_error(
        lambda: send(client, to=SIM_OK, ConfigurationSetName="intl"),
        "ConflictException",
        "NO_ORIGINATION_IDENTITIES_FOUND",
    )


def test_sender_ids_send_only_to_their_country_and_never_to_the_us(client, sandbox):
    sandbox.add_sender_id("JUNIPER", "GB")
    sent = row(sandbox, send(client, "JUNIPER", to=GB_SIM_OK)["MessageId"])
    assert (sent["OriginationPhoneNumber"], sent["OptOutListName"]) == ("JUNIPER", "Default")
    gb_arn = f"arn:aws:sms-voice:us-east-1:{ACCOUNT}:sender-id/JUNIPER/GB"
    bad = aws_error(
        lambda: send(client, gb_arn, to="+33755512501"),
        "ValidationException",
        "INVALID_IDENTITY_FOR_DESTINATION_COUNTRY",
    )
    assert field_names(bad) == ["OriginationIdentity"]
    aws_error(
        lambda: send(client, "JUNIPER", to="+33755512501"),
        "ResourceNotFoundException",
        ResourceType="sender-id",
        ResourceId="JUNIPER",
    )
    aws_error(lambda: send(client, "JUNIPER"), "ValidationException", "SENDER_ID_NOT_SUPPORTED")


def test_numbers_send_abroad_only_with_international_sending(client, sandbox):
    sandbox.set_account_tier("PRODUCTION")
    toll_free = number(client, "TOLL_FREE")
    aws_error(
        lambda: send(client, toll_free["PhoneNumberId"], to="+447700900123"),
        "ValidationException",
        "INVALID_IDENTITY_FOR_DESTINATION_COUNTRY",
    )
    client.update_phone_number(
        PhoneNumberId=toll_free["PhoneNumberId"], InternationalSendingEnabled=True
    )
    sent = row(sandbox, send(client, toll_free["PhoneNumberId"], to="+447700900123")["MessageId"])
    assert sent["IsoCountryCode"] == "GB"


def test_simulator_numbers_reach_only_simulator_destinations_of_their_country(client, sandbox):
    sandbox.set_account_tier("PRODUCTION")
    sim = number(client)
    before = logged(sandbox)
    for to in ("+12065550100", GB_SIM_OK):
        aws_error(
            lambda to=to: send(client, sim["PhoneNumberId"], to=to),
            "ValidationException",
            "INVALID_IDENTITY_FOR_DESTINATION_COUNTRY",
        )
    assert logged(sandbox) == before
    send(client, sim["PhoneNumberId"], to=SIM_FAIL)


def test_a_number_without_sms_capability_cannot_text(client):
    voice_only = number(client, "TOLL_FREE", capabilities=("VOICE",))
    bad = aws_error(
        lambda: send(client, voice_only["PhoneNumberId"]),
        "ValidationException",
        "INVALID_PARAMETER",
    )
    assert field_names(bad) == ["OriginationIdentity"]


# -- recipients ------------------------------------------------------------------------------------


def test_a_sandbox_account_reaches_only_simulator_and_verified_numbers(client, sandbox):
    toll_free = number(client, "TOLL_FREE")
    real = "+12065550100"
    before = logged(sandbox)
    aws_error(
        lambda: send(client, toll_free["PhoneNumberId"], to=real),
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_NOT_VERIFIED",
        ResourceType="verified-destination-number",
        ResourceId=real,
    )
    assert logged(sandbox) == before
    send(client, toll_free["PhoneNumberId"], to=SIM_OK)
    sandbox.verify_destination(real)
    sent = row(sandbox, send(client, toll_free["PhoneNumberId"], to=real)["MessageId"])
    assert sent["CarrierFee"] == US_FEE  # a real US recipient: the carrier fee passes through
    sandbox.set_account_tier("PRODUCTION")
    send(client, toll_free["PhoneNumberId"], to="+12065550101")


def test_the_identitys_opt_out_list_blocks_the_send(client, sandbox):
    sim = number(client)
    client.put_opted_out_number(OptOutListName="Default", OptedOutNumber=SIM_OK)
    before = logged(sandbox)
    refused = aws_error(
        lambda: send(client, sim["PhoneNumberId"]),
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
        ResourceType="opted-out-number",
        ResourceId=SIM_OK,
    )
    assert "DESTINATION_PHONE_NUMBER_OPTED_OUT" in refused["Error"]["Message"]
    assert logged(sandbox) == before
    # another list applies once the number uses it
    client.create_opt_out_list(OptOutListName="alerts")
    client.update_phone_number(PhoneNumberId=sim["PhoneNumberId"], OptOutListName="alerts")
    assert row(sandbox, send(client, sim["PhoneNumberId"])["MessageId"])["OptOutListName"] == (
        "alerts"
    )


def test_a_pooled_numbers_sends_are_checked_against_the_pools_list(client, sandbox):
    sim = number(client)
    pool = client.create_pool(OriginationIdentity=sim["PhoneNumberId"], MessageType="TRANSACTIONAL")
    client.create_opt_out_list(OptOutListName="pool-list")
    client.update_pool(PoolId=pool["PoolId"], OptOutListName="pool-list")
    # the number's own list (Default) no longer applies; the pool's does
    client.put_opted_out_number(OptOutListName="Default", OptedOutNumber=SIM_OK)
    sent = row(sandbox, send(client, sim["PhoneNumberId"])["MessageId"])
    assert sent["OptOutListName"] == "pool-list"
    client.put_opted_out_number(OptOutListName="pool-list", OptedOutNumber=SIM_FAIL)
    for origination in (sim["PhoneNumberId"], pool["PoolId"]):
        aws_error(
            lambda o=origination: send(client, o, to=SIM_FAIL),
            "ConflictException",
            "DESTINATION_PHONE_NUMBER_OPTED_OUT",
        )


def test_a_destination_of_no_country_is_invalid(client):
    sim = number(client)
    bad = aws_error(
        lambda: send(client, sim["PhoneNumberId"], to="+999123456"),
        "ValidationException",
        "INVALID_PARAMETER",
    )
    assert field_names(bad) == ["DestinationPhoneNumber"]


# -- body: encoding, parts, limits ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "encoding", "parts"),
    [
        ("a" * 160, "GSM", 1),
        ("a" * 161, "GSM", 2),
        ("a" * 1530, "GSM", 10),
        ("€" * 80, "GSM", 1),  # extension characters count two
        ("€" * 81, "GSM", 2),
        ("ж" * 70, "UNICODE", 1),
        ("ж" * 71, "UNICODE", 2),
        ("ж" * 630, "UNICODE", 10),
        ("Hi 👋" * 14, "UNICODE", 1),  # an emoji is two UCS-2 units: 70
        ("Hi 👋" * 15, "UNICODE", 2),
    ],
)
def test_encoding_and_parts_set_the_price(client, sandbox, body, encoding, parts):
    sandbox.set_account_tier("PRODUCTION")
    sim = number(client)
    sent = row(sandbox, send(client, sim["PhoneNumberId"], body=body)["MessageId"])
    assert (sent["Encoding"], sent["Parts"]) == (encoding, parts)
    assert sent["Price"] == pytest.approx(round(parts * US_PART, 5))
    assert sent["MessageBody"] == body


@pytest.mark.parametrize("body", ["a" * 1531, "€" * 766, "ж" * 631])
def test_too_long_messages_are_refused(client, sandbox, body):
    sim = number(client)
    bad = aws_error(
        lambda: send(client, sim["PhoneNumberId"], body=body),
        "ValidationException",
        "MAXIMUM_SIZE_EXCEEDED",
    )
    assert field_names(bad) == ["MessageBody"]
    assert logged(sandbox) == (0, 0, 0.0)


def test_a_missing_body_is_a_missing_parameter(client, sandbox):
    sim = number(client)
    bad = aws_error(
        lambda: client.send_text_message(
            DestinationPhoneNumber=SIM_OK, OriginationIdentity=sim["PhoneNumberId"]
        ),
        "ValidationException",
        "MISSING_PARAMETER",
    )
    assert field_names(bad) == ["MessageBody"]


# -- price, spend, DryRun, options ---------------------------------------------------------------


def test_max_price_refuses_a_message_that_costs_more(client, sandbox):
    sim = number(client)
    two_parts = "a" * 161  # 0.01162 USD
    bad = aws_error(
        lambda: send(client, sim["PhoneNumberId"], body=two_parts, MaxPrice="0.0116"),
        "ValidationException",
        "PRICE_OVER_THRESHOLD",
    )
    assert field_names(bad) == ["MaxPrice"]
    assert logged(sandbox) == (0, 0, 0.0)
    sent = send(client, sim["PhoneNumberId"], body=two_parts, MaxPrice="0.01162")
    assert row(sandbox, sent["MessageId"])["Price"] == 0.01162


def test_the_monthly_spend_limit_holds_sends(client, sandbox):
    sim = number(client)
    longest = "a" * 1530  # 10 parts: 0.0581 USD
    for _ in range(17):
        send(client, sim["PhoneNumberId"], body=longest)
    assert month_spend(sandbox) == pytest.approx(0.9877)
    before = logged(sandbox)
    refused = aws_error(
        lambda: send(client, sim["PhoneNumberId"], body=longest),
        "ServiceQuotaExceededException",
        "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT",
    )
    assert "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT" in refused["Error"]["Message"]
    assert logged(sandbox) == before
    send(client, sim["PhoneNumberId"], body="short")  # 0.99351 still fits under $1
    client.set_text_message_spend_limit_override(MonthlyLimit=0)
    aws_error(
        lambda: send(client, sim["PhoneNumberId"], body="short"),
        "ServiceQuotaExceededException",
        "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT",
    )
    sandbox.set_account_tier("PRODUCTION")
    client.delete_text_message_spend_limit_override()
    send(client, sim["PhoneNumberId"], body=longest)
    assert month_spend(sandbox) == pytest.approx(0.99351 + 0.0581)


def test_dry_run_checks_everything_and_records_nothing(client, sandbox):
    sim = number(client)
    cs = config_set(client, everything=["ALL"])
    dry = send(client, sim["PhoneNumberId"], DryRun=True, ConfigurationSetName=cs)
    assert UUID.fullmatch(dry["MessageId"])
    assert logged(sandbox) == (0, 0, 0.0)
    client.put_opted_out_number(OptOutListName="Default", OptedOutNumber=SIM_FAIL)
    aws_error(
        lambda: send(client, sim["PhoneNumberId"], to=SIM_FAIL, DryRun=True),
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
    )
    client.set_text_message_spend_limit_override(MonthlyLimit=0)
    aws_error(
        lambda: send(client, sim["PhoneNumberId"], DryRun=True),
        "ServiceQuotaExceededException",
        "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT",
    )
    assert logged(sandbox) == (0, 0, 0.0)


def test_time_to_live_context_and_keyword_are_kept_with_the_message(client, sandbox):
    sim = number(client)
    sent = send(
        client,
        sim["PhoneNumberId"],
        TimeToLive=300,
        Context={"order": "A-17", "team": "alerts"},
        Keyword="JUNIPER",
    )
    logged_row = row(sandbox, sent["MessageId"])
    assert logged_row["TimeToLive"] == 300
    assert logged_row["Context"] == {"order": "A-17", "team": "alerts"}
    assert logged_row["Keyword"] == "JUNIPER"


def test_unknown_configuration_sets_and_protect_configurations_are_not_found(client, sandbox):
    sim = number(client)
    aws_error(
        lambda: send(client, sim["PhoneNumberId"], ConfigurationSetName="nope"),
        "ResourceNotFoundException",
        ResourceType="configuration-set",
        ResourceId="nope",
    )
    aws_error(
        lambda: send(client, sim["PhoneNumberId"], ProtectConfigurationId="protect-1"),
        "ResourceNotFoundException",
        ResourceType="protect-configuration",
        ResourceId="protect-1",
    )
    assert logged(sandbox) == (0, 0, 0.0)
