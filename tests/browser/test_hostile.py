"""Hostile data renders as text: markup in a tag value or a message body never runs.

A phone number is tagged ``<img src=x onerror=alert(1)>``; the ListTagsForResource form shows the
tag in its response table, and the composer shows a body holding the same markup in its UCS-2
preview. The page must show the literal text, hold no ``img[src=x]`` element, and open no dialog.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import SANDBOX_SETUP, LabPage, assert_rendered, field_of, form_of, write_notebook

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"

SETUP = f"""\
HOSTILE = {HOSTILE!r}
number = _call("RequestPhoneNumber", region="us-east-1", IsoCountryCode="US",
               MessageType="TRANSACTIONAL", NumberCapabilities=["SMS"], NumberType="TOLL_FREE",
               Tags=[{{"Key": "owner", "Value": HOSTILE}}, {{"Key": HOSTILE, "Value": "key"}}])
tags = kit.form("ListTagsForResource", region="us-east-1")
tags.set_value({{"ResourceArn": number["PhoneNumberArn"]}})
tags
"""


def test_markup_in_tags_and_bodies_renders_as_text(lab_page: LabPage) -> None:
    lp = lab_page
    path = write_notebook(
        lp.lab,
        "hostile.ipynb",
        [SANDBOX_SETUP + SETUP, 'c = kit.composer(region="us-east-1")\nc'],
    )
    lp.open(path)
    lp.run_cell(0)
    lp.run_cell(1)
    assert_rendered(lp)
    page = lp.page

    # A tag value and a tag key holding markup, in the response table.
    form = form_of(lp, "ListTagsForResource")
    form.locator("button.ppv2kit-call").click()
    response = form.locator(".ppv2kit-output .ppv2kit-response")
    expect(response).to_contain_text("ListTagsForResource succeeded")
    expect(response.locator("td", has_text=HOSTILE)).not_to_have_count(0)
    assert response.inner_text().count(HOSTILE) == 2

    # The same markup in a message body, in the composer's preview of UCS-2 characters.
    composer = form_of(lp, "SendTextMessage")
    field_of(composer, "MessageBody").locator("textarea").fill(f"{HOSTILE} “hi”")
    preview = composer.locator(".ppv2kit-composer-marked")
    expect(preview).to_have_text(f"{HOSTILE} “hi”")
    expect(preview.locator("mark")).to_have_count(2)

    page.wait_for_timeout(500)  # an injected image would have failed to load by now
    assert page.locator("img[src='x']").count() == 0
    assert page.locator(".jp-Notebook img[onerror]").count() == 0
    assert lp.dialogs == [], f"markup ran in the page: {lp.dialogs}"
