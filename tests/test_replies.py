"""Inbound messages (Sandbox.receive): keywords, opt-outs, opt-ins, answers, pools, two-way."""

from __future__ import annotations

import pytest

from tests.sending_support import SIM_FAIL, SIM_OK, US_PART, month_spend, number, row, short_code
from tests.support import aws_error

CHANNEL = "arn:aws:sns:us-east-1:123456789012:inbound"
STOP_TEXT = "You have been unsubscribed and will receive no further messages."


def opted_out(client, list_name="Default"):
    page = client.describe_opted_out_numbers(OptOutListName=list_name)["OptedOutNumbers"]
    return [(n["OptedOutNumber"], n["EndUserOptedOut"]) for n in page]


def send(client, origination, to=SIM_OK):
    return client.send_text_message(
        DestinationPhoneNumber=to, OriginationIdentity=origination, MessageBody="Sale today"
    )


def test_stop_opts_the_sender_out_answers_and_blocks_the_next_send(client, sandbox):
    sim = number(client)
    send(client, sim["PhoneNumberId"])
    result = sandbox.receive(to=sim["PhoneNumber"], from_=SIM_OK, body="stop")
    assert result["Keyword"] == "STOP" and result["Action"] == "OPT_OUT"
    assert (result["OptedOut"], result["OptedIn"]) == (True, False)
    assert result["OptOutListName"] == "Default"
    assert (result["To"], result["From"]) == (sim["PhoneNumber"], SIM_OK)
    assert result["OriginationIdentity"] == sim["PhoneNumberId"]
    assert result["ReplyBody"] == STOP_TEXT
    assert opted_out(client) == [(SIM_OK, True)]
    aws_error(
        lambda: send(client, sim["PhoneNumberId"]),
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
    )
    log = sandbox.messages()
    assert list(log["Direction"]) == ["OUTBOUND", "INBOUND", "OUTBOUND"]
    inbound = row(sandbox, result["MessageId"])
    assert (inbound["OriginationPhoneNumber"], inbound["DestinationPhoneNumber"]) == (
        SIM_OK,
        sim["PhoneNumber"],
    )
    assert (inbound["Keyword"], inbound["KeywordAction"], inbound["Status"]) == (
        "STOP",
        "OPT_OUT",
        "RECEIVED",
    )
    assert inbound["MessageBody"] == "stop"
    reply = row(sandbox, result["ReplyMessageId"])
    assert (reply["Origin"], reply["InReplyTo"]) == ("KEYWORD_RESPONSE", result["MessageId"])
    assert (reply["OriginationPhoneNumber"], reply["DestinationPhoneNumber"]) == (
        sim["PhoneNumber"],
        SIM_OK,
    )
    assert reply["MessageBody"] == STOP_TEXT and reply["Status"] == "DELIVERED"
    assert month_spend(sandbox) == pytest.approx(2 * US_PART)  # the answer is charged


def test_built_in_opt_out_words_work_in_the_us_only(client, sandbox):
    sim = number(client)
    result = sandbox.receive(to=sim["PhoneNumber"], from_=SIM_FAIL, body="Unsubscribe me")
    assert (result["Keyword"], result["Action"], result["OptedOut"]) == (
        "UNSUBSCRIBE",
        "OPT_OUT",
        True,
    )
    assert opted_out(client) == [(SIM_FAIL, True)]
    gb = number(client, "LONG_CODE", "GB")
    elsewhere = sandbox.receive(to=gb["PhoneNumber"], from_=SIM_OK, body="UNSUBSCRIBE")
    assert (elsewhere["Keyword"], elsewhere["Action"], elsewhere["ReplyMessageId"]) == (
        None,
        None,
        None,
    )
    assert opted_out(client) == [(SIM_FAIL, True)]


def test_help_and_custom_keywords_answer_and_opt_in_keywords_opt_back_in(client, sandbox):
    sim = number(client)
    phone_id = sim["PhoneNumberId"]
    client.put_keyword(OriginationIdentity=phone_id, Keyword="hours", KeywordMessage="9 to 5")
    client.put_keyword(
        OriginationIdentity=phone_id,
        Keyword="START",
        KeywordMessage="Welcome back",
        KeywordAction="OPT_IN",
    )
    helped = sandbox.receive(to=sim["PhoneNumber"], from_=SIM_OK, body="help")
    assert (helped["Action"], helped["OptedOut"]) == ("AUTOMATIC_RESPONSE", False)
    assert helped["ReplyBody"].startswith("Reply STOP")
    hours = sandbox.receive(to=sim["PhoneNumber"], from_=SIM_OK, body="Hours please")
    assert (hours["Keyword"], hours["ReplyBody"]) == ("HOURS", "9 to 5")
    sandbox.receive(to=sim["PhoneNumber"], from_=SIM_OK, body="STOP")
    assert opted_out(client) == [(SIM_OK, True)]
    back = sandbox.receive(to=sim["PhoneNumber"], from_=SIM_OK, body="start")
    assert (back["Action"], back["OptedIn"], back["ReplyBody"]) == ("OPT_IN", True, "Welcome back")
    assert opted_out(client) == []
    send(client, phone_id)
    nothing = sandbox.receive(to=sim["PhoneNumber"], from_=SIM_OK, body="thanks!")
    assert (nothing["Keyword"], nothing["Action"], nothing["ReplyMessageId"]) == (None,) * 3
    assert (nothing["OptedOut"], nothing["OptedIn"]) == (False, False)


def test_a_pooled_number_uses_the_pools_keywords_and_opt_out_list(client, sandbox):
    sim = number(client)
    pool = client.create_pool(OriginationIdentity=sim["PhoneNumberId"], MessageType="TRANSACTIONAL")
    client.create_opt_out_list(OptOutListName="pool-list")
    client.update_pool(PoolId=pool["PoolId"], OptOutListName="pool-list")
    client.put_keyword(OriginationIdentity=pool["PoolId"], Keyword="CANCEL", KeywordMessage="Bye")
    client.put_keyword(
        OriginationIdentity=pool["PoolId"],
        Keyword="PAUSE",
        KeywordMessage="Paused",
        KeywordAction="OPT_OUT",
    )
    result = sandbox.receive(to=sim["PhoneNumber"], from_=SIM_OK, body="PAUSE")
    assert result["OriginationIdentity"] == pool["PoolId"]
    assert (result["Action"], result["OptOutListName"]) == ("OPT_OUT", "pool-list")
    assert opted_out(client, "pool-list") == [(SIM_OK, True)] and opted_out(client) == []
    # a keyword the pool configures wins over the built-in opt-out word
    cancel = sandbox.receive(to=sim["PhoneNumber"], from_=SIM_FAIL, body="cancel")
    assert (cancel["Action"], cancel["ReplyBody"], cancel["OptedOut"]) == (
        "AUTOMATIC_RESPONSE",
        "Bye",
        False,
    )
    aws_error(
        lambda: send(client, pool["PoolId"]),
        "ConflictException",
        "DESTINATION_PHONE_NUMBER_OPTED_OUT",
    )


def test_self_managed_opt_outs_leave_the_list_alone_and_two_way_is_noted(client, sandbox):
    sim = number(client)
    client.update_phone_number(
        PhoneNumberId=sim["PhoneNumberId"],
        SelfManagedOptOutsEnabled=True,
        TwoWayEnabled=True,
        TwoWayChannelArn=CHANNEL,
    )
    result = sandbox.receive(to=sim["PhoneNumber"], from_=SIM_OK, body="STOP")
    assert (result["Action"], result["OptedOut"], result["ReplyMessageId"]) == (
        "OPT_OUT",
        False,
        None,
    )
    assert result["SelfManagedOptOutsEnabled"] is True
    assert result["TwoWayChannelArn"] == CHANNEL
    assert row(sandbox, result["MessageId"])["TwoWayChannelArn"] == CHANNEL
    assert opted_out(client) == []
    send(client, sim["PhoneNumberId"])
    assert month_spend(sandbox) == pytest.approx(US_PART)  # nothing answered


def test_the_number_is_found_in_its_account_and_region(make_client, sandbox):
    home = make_client()
    away = make_client(region="eu-west-1", account="210987654321")
    here = number(home)
    there = number(away, "LONG_CODE", "GB")
    result = sandbox.receive(to=there["PhoneNumber"], from_="+447700900123", body="STOP")
    assert (result["Account"], result["Region"]) == ("210987654321", "eu-west-1")
    assert opted_out(away) == [("+447700900123", True)]
    with pytest.raises(ValueError, match="not a phone number of the sandbox"):
        sandbox.receive(to=there["PhoneNumber"], from_=SIM_OK, body="hi", region="us-east-1")
    with pytest.raises(ValueError, match="not a phone number of the sandbox"):
        sandbox.receive(to="+12065550000", from_=SIM_OK, body="hi")
    with pytest.raises(ValueError, match=r"E\.164"):
        sandbox.receive(to=here["PhoneNumber"], from_="me", body="hi")
    with pytest.raises(ValueError, match="text"):
        sandbox.receive(to=here["PhoneNumber"], from_=SIM_OK, body="  ")
    log = sandbox.messages()
    assert set(zip(log["Account"], log["Region"], strict=True)) == {("210987654321", "eu-west-1")}


def test_a_short_code_receives_under_its_code(client, sandbox):
    code = short_code(client, sandbox)
    result = sandbox.receive(to="72468", from_=SIM_OK, body="HELP")
    assert (result["To"], result["OriginationIdentity"]) == ("72468", code["PhoneNumberId"])
    assert result["Action"] == "AUTOMATIC_RESPONSE"
    assert row(sandbox, result["ReplyMessageId"])["OriginationPhoneNumber"] == "72468"
