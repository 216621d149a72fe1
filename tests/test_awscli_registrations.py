"""Interop: the AWS CLI fills, attaches, submits and reads a registration over HTTP."""

from __future__ import annotations

import json

from tests.registration_support import BRAND, PNG
from tests.test_awscli import aws  # noqa: F401  (the served-sandbox CLI fixture)


def ok(result):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else {}


def test_the_cli_walks_a_brand_registration_to_complete(aws, sandbox, tmp_path):  # noqa: F811
    reg = ok(aws("create-registration", "--registration-type", "US_TEN_DLC_BRAND_REGISTRATION"))
    reg_id = reg["RegistrationId"]
    assert reg["RegistrationStatus"] == "CREATED"
    refused = aws("submit-registration-version", "--registration-id", reg_id)
    assert refused.returncode != 0
    assert "ConflictException" in refused.stderr and "companyInfo.companyName" in refused.stderr
    bad = aws(
        "put-registration-field-value",
        "--registration-id",
        reg_id,
        "--field-path",
        "companyInfo.legalType",
        "--select-choices",
        "SOLE_TRADER",
    )
    assert bad.returncode != 0 and "ValidationException" in bad.stderr
    assert "companyInfo.legalType" in bad.stderr
    for path, value in BRAND.items():
        # The CLI fetches http(s) values of string parameters, so values go as JSON input.
        member = "SelectChoices" if isinstance(value, list) else "TextValue"
        request = {"RegistrationId": reg_id, "FieldPath": path, member: value}
        ok(aws("put-registration-field-value", "--cli-input-json", json.dumps(request)))
    image = tmp_path / "opt-in.png"
    image.write_bytes(PNG)
    attachment = ok(aws("create-registration-attachment", "--attachment-body", f"fileb://{image}"))
    assert attachment["AttachmentStatus"] == "UPLOAD_COMPLETE"
    values = ok(aws("describe-registration-field-values", "--registration-id", reg_id))
    assert len(values["RegistrationFieldValues"]) == len(BRAND)
    submitted = ok(aws("submit-registration-version", "--registration-id", reg_id))
    assert submitted["RegistrationVersionStatus"] == "SUBMITTED"
    sandbox.review(reg_id, "COMPLETE")
    [found] = ok(aws("describe-registrations", "--registration-ids", reg_id))["Registrations"]
    assert found["RegistrationStatus"] == "COMPLETE"
    versions = ok(aws("describe-registration-versions", "--registration-id", reg_id))
    history = versions["RegistrationVersions"][0]["RegistrationVersionStatusHistory"]
    assert {"DraftTimestamp", "SubmittedTimestamp", "ApprovedTimestamp"} <= set(history)
