"""The registration frames on the demo seed: typed, non-empty, parents fanned out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pandas as pd
import pytest

from ppv2kit import connect
from ppv2kit.sandbox import Sandbox

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)
METHODS = (
    "registrations",
    "registration_versions",
    "registration_field_values",
    "registration_attachments",
    "registration_associations",
    "registration_type_definitions",
    "registration_section_definitions",
    "registration_field_definitions",
)


@pytest.fixture(scope="module")
def kit() -> Iterator[object]:
    sb = Sandbox(seed="demo", now=NOW, strict=True)
    yield connect(sandbox=sb, regions=["us-east-1", "ap-southeast-2"])
    sb.close()


@pytest.mark.parametrize("method", METHODS)
def test_each_registration_frame_is_typed_and_not_empty(kit, method):
    frame = getattr(kit, method)()
    assert not frame.empty, method
    assert {"Account", "Region"} <= set(frame.columns)
    for column in frame.columns:
        if column.endswith("Timestamp"):
            assert isinstance(frame[column].dtype, pd.DatetimeTZDtype), column
        if column.endswith("VersionNumber"):
            assert str(frame[column].dtype) == "Int64", column
        if column.endswith("Status") or column in ("FieldType", "FieldRequirement"):
            assert str(frame[column].dtype) == "category", column


def test_children_fan_out_over_every_registration(kit):
    registrations = kit.registrations()
    versions = kit.registration_versions()
    assert set(versions["RegistrationId"]) == set(registrations["RegistrationId"])
    assert set(versions["Region"]) == {"us-east-1", "ap-southeast-2"}
    denied = versions[versions["RegistrationVersionStatus"] == "DENIED"]
    assert len(denied) == 1
    values = kit.registration_field_values()
    assert values["FieldPath"].str.contains(r"\.").all()
    associations = kit.registration_associations()
    assert {"registration", "phone-number", "sender-id"} <= set(associations["ResourceType"])
    fields = kit.registration_field_definitions()
    assert set(fields["RegistrationType"]) >= {"US_TEN_DLC_CAMPAIGN_REGISTRATION"}
