"""The SMS composer: a SendTextMessage form whose body shows encoding, parts and price as you type.

Under the body the composer shows the encoding (GSM-7 or UCS-2), the characters as the service
counts them, the parts billed, and an estimated price where the destination country's price is
known (the sandbox's price list; against AWS it says the price is unknown). It marks the
characters that force UCS-2 — smart quotes, dashes, emoji, non-Latin letters — and offers one
click to replace those with a GSM-7 spelling. The arithmetic is :mod:`ppv2kit.sms`'s.
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as widgets

from .. import sms
from .confirm import Estimate, estimate
from .fields import NOT_SET, Field
from .form import Form


def marked_html(text: str, offending: tuple[str, ...]) -> str:
    """``text`` escaped, with every character that forces UCS-2 wrapped in ``<mark>``."""
    bad = set(offending)
    replaceable = set(sms.GSM_REPLACEMENTS)
    out = []
    for ch in text:
        esc = html.escape(ch).replace("\n", "<br>")
        if ch in bad:
            cls = "ppv2kit-ucs2" + (" ppv2kit-replaceable" if ch in replaceable else "")
            title = f"U+{ord(ch):04X}" + (
                f", replaceable by {sms.GSM_REPLACEMENTS[ch]!r}" if ch in replaceable else ""
            )
            esc = f'<mark class="{cls}" title="{html.escape(title, quote=True)}">{esc}</mark>'
        out.append(esc)
    return "".join(out)


class Composer(Form):
    """A SendTextMessage form with a live part counter; see :func:`ppv2kit.forms.composer`."""

    def __init__(self, kit: Any, region: str | None = None) -> None:
        self._counters: dict[str, widgets.HTML] = {}
        super().__init__(kit, "SendTextMessage", region)
        self.body = self.root.children["MessageBody"]
        self.destination = self.root.children["DestinationPhoneNumber"]
        self._counters = {
            name: widgets.HTML("") for name in ("encoding", "characters", "parts", "price")
        }
        for name, counter in self._counters.items():
            counter.add_class(f"ppv2kit-composer-{name}")
            counter.layout.margin = "0 1.5em 0 0"
        self.preview = widgets.HTML("")
        self.preview.add_class("ppv2kit-composer-preview")
        self.replace_button = widgets.Button(
            description="Replace with GSM-7",
            icon="magic",
            tooltip="replace smart quotes, dashes and similar with their GSM-7 spelling",
            layout=widgets.Layout(width="max-content"),  # the default clips "Replace 2 with GSM-7"
        )
        self.replace_button.add_class("ppv2kit-composer-replace")
        self.replace_button.on_click(lambda _: self._guard(self.replace))
        self.counter_box = widgets.VBox(
            [
                widgets.HBox(list(self._counters.values())),
                self.preview,
                self.replace_button,
            ]
        )
        self.counter_box.add_class("ppv2kit-composer-counters")
        self.body.widget.children = (*self.body.widget.children, self.counter_box)
        self.widget.add_class("ppv2kit-composer")
        self._update()

    @property
    def text(self) -> str:
        """The message body as typed (``""`` when not set)."""
        value = self.body.get()
        return "" if value is NOT_SET else str(value)

    @property
    def estimate(self) -> Estimate:
        """Encoding, parts and price of the current body to the current destination."""
        dest = self.destination.get()
        return estimate(self.kit, None if dest is NOT_SET else str(dest), self.text)

    @property
    def segments(self) -> sms.Segments:
        """The current body's :class:`ppv2kit.sms.Segments`."""
        return sms.segments(self.text)

    @property
    def price(self) -> float | None:
        """Estimated USD price of the message, where the destination's price is known."""
        return self.estimate.price

    def replace(self) -> str:
        """Replace every replaceable UCS-2 character with its GSM-7 spelling; the new body."""
        text = sms.to_gsm(self.text)
        if self.body.is_set:
            self.body.set(text)
        return text

    def counters(self) -> dict[str, str]:
        """What the counters show, as plain text (for tests and scripts)."""
        return {name: html.unescape(_strip(w.value)) for name, w in self._counters.items()}

    def _on_field_change(self, field: Field) -> None:
        super()._on_field_change(field)
        if self._counters and field.path in ("MessageBody", "DestinationPhoneNumber"):
            self._update()

    def _update(self) -> None:
        est = self.estimate
        seg = est.segments
        long = seg.too_long
        warn = ' style="color:#b00020"' if long else ""
        self._counters[
            "encoding"
        ].value = f"<span title='{seg.encoding}'>Encoding: <b>{est.encoding_name}</b></span>"
        self._counters["characters"].value = (
            f"<span{warn}>Characters: <b>{seg.characters}</b> / {seg.max_characters}"
            + (" — too long" if long else "")
            + "</span>"
        )
        per = f" ({seg.per_part} per part)" if seg.parts else ""
        self._counters["parts"].value = f"Parts: <b>{seg.parts}</b>{per}"
        self._counters["price"].value = html.escape(est.price_text)
        if seg.offending:
            listed = " ".join(html.escape(c) for c in seg.offending)
            self.preview.value = (
                f"<div><small>These characters force UCS-2: {listed}</small></div>"
                "<div class='ppv2kit-composer-marked'>"
                f"{marked_html(self.text, seg.offending)}</div>"
            )
        else:
            self.preview.value = ""
        self.replace_button.disabled = not seg.replaceable
        self.replace_button.description = (
            f"Replace {len(seg.replaceable)} with GSM-7"
            if seg.replaceable
            else "Replace with GSM-7"
        )


def _strip(markup: str) -> str:
    return re.sub(r"<[^>]+>", "", markup)
