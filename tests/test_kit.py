"""connect() and the Kit: backends, accounts, regions, clients, reprs, generated methods.

No test reaches AWS: AWS kits are only built and inspected (fake credentials, calls answered by
a hook on the session before anything is sent).
"""

from __future__ import annotations

import inspect
import pydoc

import boto3
import pytest
from botocore.awsrequest import AWSResponse

import ppv2kit
from ppv2kit import Kit, connect
from ppv2kit.frames import plans
from ppv2kit.kit import NoCredentialsError, SandboxFallbackWarning
from ppv2kit.sandbox import Sandbox

ACCOUNT = "123456789012"
CREDENTIAL_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)


@pytest.fixture
def no_credentials(monkeypatch):
    for name in CREDENTIAL_VARS:
        monkeypatch.delenv(name, raising=False)


def fake_session(region="eu-west-1", key="AKIAEXAMPLEEXAMPLE00"):
    return boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key="not-a-secret", region_name=region
    )


class _Body:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_):
        yield self.body

    def read(self, *_):
        return self.body


# -- sandbox kits --------------------------------------------------------------------------------


def test_an_empty_sandbox_kit_says_so(sandbox):
    kit = connect(sandbox=sandbox)
    assert kit.backend == "SANDBOX" and kit.sandbox is sandbox
    assert kit.regions == ["us-east-1"]
    assert kit.account == ACCOUNT and kit.accounts == [ACCOUNT]
    text = repr(kit)
    assert "SANDBOX" in text and "simulated data, not AWS" in text and ACCOUNT in text
    assert "SANDBOX" in kit._repr_html_() and "us-east-1" in kit._repr_html_()


def test_a_sandbox_kit_defaults_to_the_regions_and_accounts_holding_state(sandbox):
    sandbox.client(region_name="eu-west-2").describe_spend_limits()
    sandbox.client(region_name="ap-southeast-2", account_id="111122223333").describe_spend_limits()
    kit = connect(sandbox=sandbox)
    assert kit.regions == ["ap-southeast-2", "eu-west-2"]
    assert kit.accounts == ["111122223333", ACCOUNT]
    assert connect(sandbox=sandbox, regions="eu-west-2").regions == ["eu-west-2"]


def test_sandbox_true_is_a_fresh_empty_sandbox():
    kit = connect(sandbox=True)
    assert isinstance(kit.sandbox, Sandbox) and kit.sandbox.seed is None
    assert kit.backend == "SANDBOX"


def test_a_seed_name_seeds_the_sandbox():
    try:
        Sandbox(seed="demo").close()
    except (ImportError, ValueError) as err:
        pytest.fail(f"the demo seed is not available yet: {err}")
    kit = connect(sandbox="demo")
    assert kit.sandbox.seed == "demo"
    assert kit.regions == kit.sandbox.regions()
    numbers = kit.phone_numbers()
    assert set(numbers["Region"]) <= set(kit.regions) and len(numbers) > 0
    assert {c: str(t) for c, t in numbers.dtypes.items()} == {
        c: str(t) for c, t in ppv2kit.frames.plan("DescribePhoneNumbers").dtypes.items()
    }
    keywords = kit.keywords()
    pools = kit.pools()
    assert set(keywords["OriginationIdentity"]) == set(numbers["PhoneNumberId"]) | set(
        pools["PoolId"]
    )


def test_sandbox_clients_are_cached_and_use_the_retry_mode(sandbox):
    kit = connect(sandbox=sandbox, retry_mode="standard", max_attempts=4)
    client = kit.client()
    assert client is kit.client("us-east-1", ACCOUNT)
    assert client.meta.region_name == "us-east-1"
    assert client.meta.config.retries["mode"] == "standard"
    assert client.meta.config.retries["total_max_attempts"] == 4
    assert kit.client("eu-west-1") is not client
    assert kit.client(service_name="cloudwatch").meta.service_model.service_name == "cloudwatch"


def test_call_makes_one_call_by_either_name(sandbox):
    kit = connect(sandbox=sandbox, regions=["us-east-1", "eu-west-2"])
    limits = kit.call("DescribeSpendLimits")["SpendLimits"]
    assert len(limits) == 5
    answer = kit.call("describe_account_attributes", region="eu-west-2")
    assert answer["AccountAttributes"][0]["Name"] == "ACCOUNT_TIER"
    assert "eu-west-2" in sandbox.regions()


def test_mixing_the_sandbox_with_aws_choices_is_refused(sandbox):
    with pytest.raises(ValueError, match="can't be combined"):
        connect(fake_session(), sandbox=sandbox)
    with pytest.raises(ValueError, match="can't be combined"):
        connect(sandbox=True, endpoint_url="http://127.0.0.1:1")
    with pytest.raises(TypeError, match="seed name"):
        connect(sandbox=3)


# -- no credentials ------------------------------------------------------------------------------


def test_no_credentials_at_all_falls_back_to_the_sandbox_visibly(no_credentials):
    with pytest.warns(SandboxFallbackWarning, match="Nothing here is real AWS data"):
        kit = connect()
    assert kit.backend == "SANDBOX"
    assert "no AWS credentials found" in repr(kit)
    assert "no AWS credentials found" in kit._repr_html_()


def test_an_explicit_session_without_credentials_is_an_error_not_a_fallback(no_credentials):
    with pytest.raises(NoCredentialsError, match="no AWS credentials"):
        connect(boto3.session.Session(region_name="us-east-1"))
    with pytest.raises(NoCredentialsError):
        connect(endpoint_url="http://127.0.0.1:1")


# -- AWS and endpoint kits -----------------------------------------------------------------------


def test_an_aws_kit_is_built_without_calling_aws():
    kit = connect(fake_session(), accounts=["444455556666"])
    assert kit.backend == "AWS" and kit.sandbox is None
    assert kit.account == "444455556666" and kit.regions == ["eu-west-1"]
    assert "AWS" in repr(kit) and "live AWS" in repr(kit)
    client = kit.client()
    # The real AWS endpoint (built, never called): service prefix and region of this kit.
    assert client.meta.endpoint_url.startswith("https://sms-voice.eu-west-1.")
    assert client.meta.config.retries["mode"] == "adaptive"
    per_operation = kit.fetch_client("eu-west-1", "444455556666", "DescribePools")
    assert per_operation is not client
    assert per_operation is kit.fetch_client("eu-west-1", "444455556666", "DescribePools")
    with pytest.raises(ValueError, match="not one of this kit's accounts"):
        kit.client(account="999999999999")


def test_an_aws_kits_account_comes_from_sts_once():
    session = fake_session()
    asked = []

    def sts(request, **_):
        asked.append(request.url)
        body = (
            b'<GetCallerIdentityResponse xmlns="https://sts.example/doc/2011-06-15/">'
            b"<GetCallerIdentityResult><Arn>arn:aws:iam::444455556666:user/me</Arn>"
            b"<UserId>AIDEXAMPLE</UserId><Account>444455556666</Account>"
            b"</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId>"
            b"</ResponseMetadata></GetCallerIdentityResponse>"
        )
        return AWSResponse(request.url, 200, {}, _Body(body))

    session.events.register("before-send.sts", sts)
    kit = connect(session)
    assert kit.account == "444455556666"
    assert "444455556666" in repr(kit)
    assert len(asked) == 1


def test_several_profiles_or_sessions_are_several_accounts():
    kit = connect(
        sessions=[fake_session(), fake_session(key="AKIAEXAMPLEEXAMPLE11")],
        accounts=["111111111111", "222222222222"],
        regions=["us-east-1", "us-west-2"],
    )
    assert kit.accounts == ["111111111111", "222222222222"]
    assert kit.account == "111111111111"
    assert "accounts" in repr(kit)
    with pytest.raises(ValueError, match="one account per session"):
        connect(sessions=[fake_session()], accounts=["1", "2"])


def test_all_regions_are_those_botocore_knows_the_service_in():
    kit = connect(fake_session(), accounts=["444455556666"], regions="all")
    assert {"us-east-1", "eu-west-2", "ap-southeast-2"} <= set(kit.regions)
    assert len(kit.regions) > 20


def test_an_endpoint_kit_reads_the_served_sandbox(sandbox):
    server = sandbox.serve()
    try:
        kit = connect(fake_session(key="111122223333"), endpoint_url=server.url)
        assert kit.backend == "ENDPOINT" and kit.account == "111122223333"
        assert server.url in repr(kit)
        assert kit.client().meta.endpoint_url == server.url
        limits = kit.spend_limits()
        assert set(limits["Account"]) == {"111122223333"} and len(limits) == 5
        assert "111122223333" in sandbox.accounts()
    finally:
        server.stop()


def test_the_html_repr_escapes_what_it_shows(sandbox):
    kit = connect(sandbox=sandbox, accounts=["<b>x</b>"])
    html = kit._repr_html_()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


# -- generated methods ---------------------------------------------------------------------------


def test_every_listing_has_a_generated_method():
    for p in plans():
        method = getattr(Kit, p.method)
        assert method.__name__ == p.method
        assert method.__qualname__ == f"Kit.{p.method}"


def test_help_on_a_generated_method_shows_its_documentation():
    text = pydoc.render_doc(Kit.phone_numbers, renderer=pydoc.plaintext)
    assert "phone_numbers(self, *, PhoneNumberIds: list[str] | None = None" in text
    assert "Describes the specified origination phone number" in text
    assert "PhoneNumberIds : list[str], optional" in text
    assert "Owner : str, optional" in text and "One of: SELF, SHARED" in text
    assert "filters : dict, optional" in text and "iso-country-code" in text
    assert "MonthlyLeasingPriceUSD (Float64)" in text
    assert "CreatedTimestamp (datetime64[us, UTC])" in text


def test_generated_signatures_come_from_the_model():
    keywords = inspect.signature(Kit.keywords)
    assert keywords.parameters["OriginationIdentity"].default is None
    assert keywords.parameters["OriginationIdentity"].kind is inspect.Parameter.KEYWORD_ONLY
    assert "with_tags" not in keywords.parameters  # keywords have no ARN
    assert "with_tags" in inspect.signature(Kit.pools).parameters
    available = inspect.signature(Kit.available_phone_numbers)
    assert available.parameters["IsoCountryCode"].default is inspect.Parameter.empty
    assert "filters" not in inspect.signature(Kit.spend_limits).parameters
    assert "fans out" in Kit.keywords.__doc__ and "DescribePools" in Kit.keywords.__doc__


def test_the_kit_delegates_forms_lazily(sandbox, monkeypatch):
    import ppv2kit.forms as forms

    calls = []
    monkeypatch.setattr(forms, "form", lambda kit, op, region=None: calls.append((op, region)))
    monkeypatch.setattr(forms, "composer", lambda kit, region=None: calls.append(("c", region)))
    kit = connect(sandbox=sandbox)
    kit.form("SendTextMessage", region="eu-west-2")
    kit.composer()
    assert calls == [("SendTextMessage", "eu-west-2"), ("c", None)]


def test_the_package_exports_connect_and_kit():
    assert ppv2kit.connect is connect and ppv2kit.Kit is Kit
    assert {"connect", "Kit", "Sandbox", "segments"} <= set(ppv2kit.__all__)
