"""Frame plans, the dtype table and frame building: pure, no client (tiny synthetic shapes too)."""

from __future__ import annotations

import datetime as dt

import botocore.model
import pandas as pd
import pytest
from dateutil.tz import tzlocal, tzoffset

from ppv2kit import model as model_mod
from ppv2kit.frames import DTYPES, dtypes, plan, plans
from ppv2kit.frames.build import Chunk, build
from ppv2kit.frames.parents import PARENTS, USER_SUPPLIED
from ppv2kit.frames.plan import _item_columns, filter_name, method_name
from ppv2kit.model import Shape

MODEL = model_mod.load()
PAGINATED = [op.name for op in MODEL.paginated()]


def synthetic(shapes: dict, name: str) -> Shape:
    """A model Shape built from a tiny raw shape dictionary."""
    return Shape(botocore.model.ShapeResolver(shapes).get_shape_by_name(name))


# -- the dtype table ---------------------------------------------------------------------------


def test_the_dtype_table_covers_every_botocore_type_name():
    assert set(DTYPES) == set(model_mod.TYPE_NAMES)


@pytest.mark.parametrize(
    ("type_name", "expected"),
    [
        ("string", "string"),
        ("integer", "Int64"),
        ("long", "Int64"),
        ("float", "Float64"),
        ("double", "Float64"),
        ("boolean", "boolean"),
        ("timestamp", "datetime64[us, UTC]"),
        ("blob", "object"),
        ("list", "object"),
        ("map", "object"),
        ("structure", "object"),
    ],
)
def test_each_type_name_maps_to_a_nullable_dtype(type_name, expected):
    assert str(DTYPES[type_name]) == expected


def test_an_enum_string_is_a_category_of_the_model_values_in_model_order():
    shape = synthetic({"Colour": {"type": "string", "enum": ["RED", "GREEN"]}}, "Colour")
    dtype = dtypes.dtype_for(shape)
    assert isinstance(dtype, pd.CategoricalDtype)
    assert list(dtype.categories) == ["RED", "GREEN"]


def test_a_value_the_model_does_not_know_yet_is_kept_not_lost():
    dtype = pd.CategoricalDtype(["RED", "GREEN"])
    values = dtypes.convert(["GREEN", None, "BLUE"], dtype)
    assert list(values.categories) == ["RED", "GREEN", "BLUE"]
    assert values[0] == "GREEN" and pd.isna(values[1]) and values[2] == "BLUE"


def test_timestamps_of_any_zone_become_utc():
    values = [
        dt.datetime(2026, 11, 27, 12, 0, tzinfo=tzoffset(None, 3600)),
        None,
        dt.datetime(2026, 11, 27, 12, 0, tzinfo=tzlocal()),
    ]
    converted = pd.Series(dtypes.convert(values, dtypes.TIMESTAMP))
    assert str(converted.dtype) == "datetime64[us, UTC]"
    assert converted[0] == pd.Timestamp("2026-11-27 11:00", tz="UTC")
    assert pd.isna(converted[1])
    assert converted[2] == pd.Timestamp(values[2])


def test_nullable_integers_and_booleans_keep_absent_values_as_na():
    ints = dtypes.convert([1, None, 3], DTYPES["long"])
    flags = dtypes.convert([True, None, False], DTYPES["boolean"])
    assert list(ints.isna()) == [False, True, False] and ints[2] == 3
    assert list(flags.isna()) == [False, True, False] and bool(flags[0]) is True


def test_lists_stay_whole_python_lists_in_one_cell():
    values = dtypes.convert([["SMS", "VOICE"], ["SMS", "MMS"], None], dtypes.OBJECT)
    assert values.shape == (3,)
    assert values[0] == ["SMS", "VOICE"] and values[2] is None


def test_money_strings_parse_to_float_and_junk_to_na():
    money = dtypes.money(["1.00", "$1,000.50", None, "n/a"])
    assert str(money.dtype) == "Float64"
    assert money[0] == 1.0 and money[1] == 1000.5
    assert pd.isna(money[2]) and pd.isna(money[3])


# -- flattening ------------------------------------------------------------------------------


TINY = {
    "Item": {
        "type": "structure",
        "members": {
            "Id": {"shape": "Id"},
            "Limits": {"shape": "Limits"},
            "Tags": {"shape": "TagList"},
            "Child": {"shape": "Item"},
            "HourlyPrice": {"shape": "Id"},
        },
    },
    "Limits": {
        "type": "structure",
        "members": {"Max": {"shape": "Count"}, "Inner": {"shape": "Inner"}},
    },
    "Inner": {"type": "structure", "members": {"Seen": {"shape": "When"}}},
    "TagList": {"type": "list", "member": {"shape": "Id"}},
    "Id": {"type": "string"},
    "Count": {"type": "long"},
    "When": {"type": "timestamp"},
}


def test_nested_structures_flatten_to_dotted_names_and_recursion_stops():
    columns = {c.name: c for c in _item_columns(synthetic(TINY, "Item"), (), frozenset())}
    assert list(columns) == [
        "Id",
        "Limits.Max",
        "Limits.Inner.Seen",
        "Tags",
        "Child",
        "HourlyPrice",
        "HourlyPriceUSD",
    ]
    assert columns["Limits.Inner.Seen"].path == ("Limits", "Inner", "Seen")
    assert str(columns["Limits.Max"].dtype) == "Int64"
    assert columns["Tags"].dtype == dtypes.OBJECT  # a list stays one column
    assert columns["Child"].dtype == dtypes.OBJECT  # the recursive member is not walked again
    assert columns["HourlyPriceUSD"].origin == "money"


# -- plans of the real model -----------------------------------------------------------------


def test_every_paginated_operation_of_the_model_has_a_plan():
    assert len(PAGINATED) >= 28
    assert [p.operation for p in plans()] == PAGINATED
    assert len({p.method for p in plans()}) == len(PAGINATED)


@pytest.mark.parametrize("operation", PAGINATED)
def test_a_plan_is_built_from_the_model_alone(operation):
    p = plan(operation)
    op = MODEL.operation(operation)
    assert p.operation == operation and p.snake_name == op.snake_name
    assert p.result_key == op.paginator.result_key
    assert p.column_names[:2] == ["Account", "Region"]
    assert len(set(p.column_names)) == len(p.column_names)
    for key in op.paginator.non_aggregate_keys:
        assert key in p.column_names
    assert {"NextToken", "MaxResults"}.isdisjoint(x.name for x in p.params)
    empty = p.empty()
    assert len(empty) == 0
    assert {c: str(t) for c, t in empty.dtypes.items()} == {c: str(t) for c, t in p.dtypes.items()}
    assert plan(op.snake_name) is p


def test_the_phone_numbers_plan():
    p = plan("DescribePhoneNumbers")
    assert p.method == "phone_numbers"
    types = {c: str(t) for c, t in p.dtypes.items()}
    assert types["CreatedTimestamp"] == "datetime64[us, UTC]"
    assert types["TwoWayEnabled"] == "boolean"
    assert types["Status"] == "category" and "ACTIVE" in p.dtypes["Status"].categories
    assert types["MonthlyLeasingPrice"] == "string"
    assert types["MonthlyLeasingPriceUSD"] == "Float64"
    assert types["MessagingLimits.RateLimits"] == "object"
    assert p.arn_column == "PhoneNumberArn"
    assert p.parent is None and "status" in p.filter_names


def test_context_keys_become_columns_of_every_row():
    p = plan("DescribeOptedOutNumbers")
    assert p.column_names == [
        "Account",
        "Region",
        "OptOutListArn",
        "OptOutListName",
        "OptedOutNumber",
        "OptedOutTimestamp",
        "EndUserOptedOut",
    ]
    assert plan("ListPoolOriginationIdentities").context_keys == ("PoolArn", "PoolId")
    assert str(plan("DescribeRegistrationFieldValues").dtypes["VersionNumber"]) == "Int64"


def test_a_list_of_strings_is_one_column_named_after_its_item():
    p = plan("ListAvailablePhoneNumbers")
    assert p.column_names == ["Account", "Region", "PhoneNumber"]
    assert p.required == ("IsoCountryCode", "NumberCapabilities", "NumberType")


@pytest.mark.parametrize(
    ("operation", "method"),
    [
        ("DescribePhoneNumbers", "phone_numbers"),
        ("DescribeOptedOutNumbers", "opted_out_numbers"),
        ("ListPoolOriginationIdentities", "pool_origination_identities"),
        ("DescribeAccountLimits", "account_limits"),
        ("DescribeRcsAgentCountryLaunchStatus", "rcs_agent_country_launch_status"),
    ],
)
def test_method_names_drop_describe_and_list(operation, method):
    assert method_name(operation) == method


# -- parents ---------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", sorted(PARENTS))
def test_each_parent_is_a_required_member_supplied_by_a_real_listing(operation):
    member, sources = PARENTS[operation]
    op = MODEL.operation(operation)
    assert member in op.input.required
    for source in sources:
        assert plan(source.operation).parent is None
        assert source.member in plan(source.operation).column_names


def test_every_required_parameter_of_a_listing_is_a_parent_or_the_callers():
    for p in plans():
        if p.required or p.parent:
            assert (p.operation in PARENTS) != (p.operation in USER_SUPPLIED), p.operation
        if p.parent:
            assert p.required == ()
    assert plan("DescribeKeywords").parent == "OriginationIdentity"
    assert [s.operation for s in plan("DescribeKeywords").sources] == [
        "DescribePhoneNumbers",
        "DescribePools",
    ]


# -- requests --------------------------------------------------------------------------------


def test_friendly_filters_become_the_apis_filters():
    p = plan("DescribePhoneNumbers")
    request = p.request(
        {"Filters": [{"Name": "number-type", "Values": ["TOLL_FREE"]}]},
        {"status": "ACTIVE", "iso_country_code": ["US", "CA"], "TwoWayEnabled": False},
    )
    assert request.params["Filters"] == [
        {"Name": "number-type", "Values": ["TOLL_FREE"]},
        {"Name": "status", "Values": ["ACTIVE"]},
        {"Name": "iso-country-code", "Values": ["US", "CA"]},
        {"Name": "two-way-enabled", "Values": ["false"]},
    ]
    assert not request.names_resources


def test_an_unknown_filter_names_the_known_ones():
    with pytest.raises(ValueError, match="iso-country-code"):
        filter_name("colour", plan("DescribePhoneNumbers").filter_names)
    with pytest.raises(ValueError, match="takes no Filters"):
        plan("DescribeSpendLimits").filters({"status": "x"})


def test_wrong_parameters_fail_like_a_python_call():
    p = plan("DescribePhoneNumbers")
    with pytest.raises(TypeError, match=r"unexpected parameter.*PhoneNumberId\b"):
        p.request({"PhoneNumberId": "x"})
    with pytest.raises(TypeError, match="paging is automatic"):
        p.request({"NextToken": "x"})
    with pytest.raises(TypeError, match=r"missing required parameter.*IsoCountryCode"):
        plan("ListAvailablePhoneNumbers").request({"NumberType": "TOLL_FREE"})


def test_a_given_parent_is_taken_out_of_the_parameters():
    p = plan("DescribeKeywords")
    one = p.request({"OriginationIdentity": "phone-1", "Keywords": ["HELP"]})
    many = p.request({"OriginationIdentity": ["phone-1", "pool-2"]})
    none = p.request({})
    assert one.parents == ("phone-1",) and dict(one.params) == {"Keywords": ["HELP"]}
    assert many.parents == ("phone-1", "pool-2") and many.names_resources
    assert none.parents is None and not none.names_resources


# -- building --------------------------------------------------------------------------------


def test_build_reads_items_context_and_provenance_in_chunk_order():
    p = plan("DescribeOptedOutNumbers")
    when = dt.datetime(2026, 11, 1, tzinfo=tzoffset(None, -3600))
    later = Chunk(
        "111122223333",
        "eu-west-2",
        {"OptOutListName": "B", "OptOutListArn": "arn:b"},
        [{"OptedOutNumber": "+447700900000", "OptedOutTimestamp": when}],
        order=(1, 0, 0, 0),
    )
    first = Chunk(
        "111122223333",
        "us-east-1",
        {"OptOutListName": "A", "OptOutListArn": "arn:a"},
        [
            {"OptedOutNumber": "+12065550100", "EndUserOptedOut": True},
            {"OptedOutNumber": "+12065550101", "EndUserOptedOut": False},
        ],
        order=(0, 0, 0, 0),
    )
    df = build(p, [later, first])
    assert list(df["Region"]) == ["us-east-1", "us-east-1", "eu-west-2"]
    assert list(df["OptOutListName"]) == ["A", "A", "B"]
    assert df["OptedOutTimestamp"].iloc[2] == pd.Timestamp("2026-11-01 01:00", tz="UTC")
    assert pd.isna(df["OptedOutTimestamp"].iloc[0])
    assert df["EndUserOptedOut"].tolist()[:2] == [True, False]
    assert pd.isna(df["EndUserOptedOut"].iloc[2])
    assert {c: str(t) for c, t in df.dtypes.items()} == {c: str(t) for c, t in p.dtypes.items()}


def test_build_reads_nested_members_money_and_tags():
    p = plan("DescribePhoneNumbers")
    item = {
        "PhoneNumberArn": "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-1",
        "PhoneNumberId": "phone-1",
        "MonthlyLeasingPrice": "2.00",
        "MessagingLimits": {"RateLimits": {"SMS": 3}},
        "NumberCapabilities": ["SMS", "VOICE"],
        "Status": "ACTIVE",
    }
    tags = {item["PhoneNumberArn"]: {"env": "prod"}}
    df = build(p, [Chunk("123456789012", "us-east-1", {}, [item])], tags=tags)
    row = df.iloc[0]
    assert row["MonthlyLeasingPriceUSD"] == 2.0
    assert row["MessagingLimits.RateLimits"] == {"SMS": 3}
    assert pd.isna(row["MessagingLimits.DailyMessageCaps"])
    assert row["NumberCapabilities"] == ["SMS", "VOICE"]
    assert row["Status"] == "ACTIVE"
    assert df.columns[-1] == "Tags" and row["Tags"] == {"env": "prod"}


def test_an_empty_build_still_has_every_typed_column():
    p = plan("DescribePools")
    df = build(p, [])
    assert len(df) == 0
    assert {c: str(t) for c, t in df.dtypes.items()} == {c: str(t) for c, t in p.dtypes.items()}
