"""Plotly figures for the analysis frames: cost, spend, opt-outs, findings, registrations.

Every function takes a frame made by :mod:`ppv2kit.analysis` and returns a
``plotly.graph_objects.Figure`` (display it, or ``fig.write_html(...)``). Call
:func:`use_offline_renderer` once in a notebook so figures render in JupyterLab *and* in HTML
reports without network access.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

#: JupyterLab draws the plotly MIME bundle with the bundled ``jupyterlab-plotly`` extension;
#: nbconvert (``ppv2kit run``) uses the HTML one, which runs on the copy of plotly.js the
#: ``notebook`` renderer embeds once per kernel. Neither needs the network (``notebook_connected``
#: would fetch plotly.js from a CDN).
OFFLINE_RENDERER = "plotly_mimetype+notebook"
TEMPLATE = "plotly_white"
SEVERITY_COLOURS = {"high": "#b91c1c", "medium": "#d97706", "low": "#2563eb", "info": "#6b7280"}
STATUS_COLOURS = {
    "ok": "#15803d",
    "warning": "#d97706",
    "limit reached": "#b91c1c",
    "no data yet": "#9ca3af",
}


def use_offline_renderer(renderer: str = OFFLINE_RENDERER) -> str:
    """Make figures render in JupyterLab and in exported HTML with plotly.js embedded.

    Returns the previous default renderer (``plotly.io.renderers.default``).
    """
    previous = pio.renderers.default
    pio.renderers.default = renderer
    pio.templates.default = TEMPLATE
    return previous


def _empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 14}, x=0.5, y=0.5)
    fig.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False}, height=240)
    return fig


#: Above this ratio between the largest and smallest non-zero values, a linear axis hides the
#: small ones (one short code next to a few long codes): charts switch to a log axis.
SKEW = 20.0
#: A period with more than this many times the next largest total is cut off at the axis.
OUTLIER = 3.0


def _skewed(values: Sequence[float]) -> bool:
    positive = [v for v in values if v and v > 0]
    return len(positive) > 1 and max(positive) / min(positive) > SKEW


def cost_by_country_and_type(cost: pd.DataFrame, *, log_scale: bool | None = None) -> go.Figure:
    """Stacked bars of monthly leasing cost per country, one colour per number type.

    Parameters
    ----------
    cost:
        ``analysis.leasing_cost(inv, by=["IsoCountryCode", "NumberType"])``.
    log_scale:
        Side-by-side bars on a logarithmic axis (short codes can dwarf everything else; a
        stacked log axis would mislead). ``None``: when the values span more than :data:`SKEW`
        times, so no country's bar is invisible.
    """
    title = "Monthly leasing cost by country and number type (USD)"
    if cost.empty:
        return _empty(title, "no phone numbers or sender IDs")
    df = cost.astype({"IsoCountryCode": "string", "NumberType": "string"})
    totals = df.groupby("IsoCountryCode")["MonthlyLeasingUSD"].sum().sort_values(ascending=False)
    if log_scale is None:
        log_scale = _skewed(df["MonthlyLeasingUSD"].astype(float).tolist())
    if log_scale:
        title += " · log scale"
    fig = go.Figure()
    for number_type, part in df.groupby("NumberType", sort=True):
        part = part.set_index("IsoCountryCode").reindex(totals.index)
        fig.add_bar(
            name=str(number_type),
            x=list(totals.index),
            y=part["MonthlyLeasingUSD"].astype(float).fillna(0).tolist(),
            customdata=part["Identities"].astype("Float64").fillna(0).astype(int).tolist(),
            hovertemplate="%{x} "
            + str(number_type)
            + ": $%{y:,.2f} (%{customdata})<extra></extra>",
        )
    fig.add_scatter(
        x=list(totals.index),
        y=totals.astype(float).tolist(),
        mode="text",
        text=[f"${v:,.0f}" for v in totals],
        textposition="top center",
        showlegend=False,
        hoverinfo="skip",
    )
    fig.update_layout(
        title=title,
        barmode="group" if log_scale else "stack",
        xaxis_title="country",
        yaxis_title="USD per month",
        legend_title="number type",
    )
    if log_scale:
        fig.update_yaxes(type="log")
    return fig


def _grid(status: pd.DataFrame) -> tuple[list[str], list[str]]:
    return list(dict.fromkeys(status["Region"])), list(dict.fromkeys(status["Kind"]))


def spend_gauges(status: pd.DataFrame, *, warn_at: float = 0.8) -> go.Figure:
    """One gauge per region and kind: month-to-date spend against the enforced limit.

    The bar is the month-to-date spend, the black line the projection to month end, the amber
    band the warning zone (from ``warn_at`` of the limit). "No data yet" is written as such.

    Parameters
    ----------
    status:
        ``analysis.spend_report(kit).status``.
    warn_at:
        The warning threshold the report used.
    """
    heading = "Month-to-date spend against the enforced monthly limit"
    if status.empty:
        return _empty(heading, "no spend limits read")
    regions, kinds = _grid(status)
    titles = {
        (r["Region"], r["Kind"]): f"{r['Region']} · {r['Kind']}<br><b>{r['Status']}</b>"
        + ("" if pd.isna(r["EnforcedLimit"]) else f" · limit ${r['EnforcedLimit']:,}")
        for r in status.to_dict("records")
    }
    fig = make_subplots(
        rows=len(regions),
        cols=len(kinds),
        specs=[[{"type": "domain"}] * len(kinds) for _ in regions],
        vertical_spacing=0.22 if len(regions) > 1 else 0.1,
    )
    for r in status.to_dict("records"):
        row, col = regions.index(r["Region"]) + 1, kinds.index(r["Kind"]) + 1
        limit = r["EnforcedLimit"]
        top = float(limit) if not pd.isna(limit) and limit > 0 else 1.0
        colour = STATUS_COLOURS.get(str(r["Status"]), "#6b7280")
        title = {"text": titles[(r["Region"], r["Kind"])], "font": {"size": 13}}
        if pd.isna(r["MonthToDate"]):
            fig.add_trace(
                go.Indicator(
                    mode="gauge",
                    value=0,
                    gauge={"axis": {"range": [0, top]}, "bar": {"color": "rgba(0,0,0,0)"}},
                    title=title,
                ),
                row=row,
                col=col,
            )
            continue
        projected = r["Projected"] if not pd.isna(r["Projected"]) else r["MonthToDate"]
        fig.add_trace(
            go.Indicator(
                mode="gauge+number",
                value=float(r["MonthToDate"]),
                number={"prefix": "$", "valueformat": ",.2f", "font": {"size": 22}},
                title=title,
                gauge={
                    "axis": {"range": [0, max(top, float(projected), float(r["MonthToDate"]))]},
                    "bar": {"color": colour},
                    "steps": [
                        {"range": [warn_at * top, top], "color": "#fde68a"},
                        {"range": [top, max(top, float(projected)) * 1.0001], "color": "#fecaca"},
                    ],
                    "threshold": {
                        "line": {"color": "black", "width": 3},
                        "thickness": 0.8,
                        "value": float(projected),
                    },
                },
            ),
            row=row,
            col=col,
        )
    fig.update_layout(title=heading, height=300 * len(regions) + 100, margin={"t": 130})
    return fig


def spend_bars(status: pd.DataFrame, *, warn_at: float = 0.8) -> go.Figure:
    """One compact row per region and kind: the share of the enforced limit used so far (bar)
    and projected by month end (diamond), against the warning line and the limit (100%).

    Shares, not dollars, share one axis, so $1.35 of $10,000 and $20 of $25 are both readable;
    each row's label gives the dollars. "No data yet" rows say so.

    Parameters
    ----------
    status:
        ``analysis.spend_report(kit).status``.
    warn_at:
        The warning threshold the report used.
    """
    heading = "Share of the monthly limit used so far (bar) and projected by month end (◆)"
    if status.empty:
        return _empty(heading, "no spend limits read")
    rows = status.to_dict("records")
    labels, used, projected, colours, texts = [], [], [], [], []
    for r in rows:
        limit = r["EnforcedLimit"]
        colours.append(STATUS_COLOURS.get(str(r["Status"]), "#6b7280"))
        if pd.isna(r["MonthToDate"]) or pd.isna(limit) or not limit:
            used.append(0.0)
            projected.append(None)
            texts.append("no data yet" if pd.isna(r["MonthToDate"]) else "no limit")
        else:
            used.append(float(r["MonthToDate"]) / float(limit))
            proj = r["Projected"]
            projected.append(None if pd.isna(proj) else float(proj) / float(limit))
            texts.append(
                f"${float(r['MonthToDate']):,.2f} of ${float(limit):,.0f}"
                + ("" if pd.isna(proj) else f" → ${float(proj):,.2f}")
            )
        labels.append(f"<b>{r['Region']} · {r['Kind']}</b><br>{texts[-1]}")
    top = max([1.05, *(v for v in used if v), *(v for v in projected if v)]) * 1.02
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=used,
        orientation="h",
        marker_color=colours,
        customdata=texts,
        name="used so far",
        hovertemplate="%{x:.1%} used (%{customdata})<extra></extra>",
    )
    fig.add_scatter(
        y=labels,
        x=projected,
        mode="markers",
        marker={"symbol": "diamond", "size": 11, "color": "black"},
        name="projected by month end",
        hovertemplate="%{x:.1%} projected by month end<extra></extra>",
    )
    fig.add_vline(x=warn_at, line_dash="dot", line_color="#d97706")
    fig.add_vline(x=1.0, line_color="#b91c1c")
    fig.update_layout(
        title=heading,
        height=100 + 46 * len(rows),
        margin={"l": 10, "r": 30, "t": 60, "b": 50},
        xaxis={"range": [0, top], "tickformat": ".0%", "title": "share of the enforced limit"},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.25},
        showlegend=False,
    )
    return fig


def _limit_visible(limit: Any, values: Sequence[float]) -> bool:
    top = max(values, default=0.0)
    return not pd.isna(limit) and limit > 0 and (top == 0 or limit <= 3 * top)


def spend_trend(trend: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Month-to-date spend this month per region and kind, with the projection to month end.

    Parameters
    ----------
    trend:
        ``analysis.spend_report(kit).trend()``.
    """
    title = title or "Spend this month: actual (solid) and projection to month end (dashed)"
    if trend.empty:
        return _empty(title, "no spend data this month yet")
    keys = list(dict.fromkeys(zip(trend["Region"], trend["Kind"], strict=True)))
    fig = make_subplots(
        rows=len(keys),
        cols=1,
        shared_xaxes=True,
        subplot_titles=[f"{r} · {k}" for r, k in keys],
        vertical_spacing=min(0.08, 0.3 / max(1, len(keys))),
    )
    for i, (region, kind) in enumerate(keys, start=1):
        part = trend[(trend["Region"] == region) & (trend["Kind"] == kind)]
        for series, dash in (("actual", "solid"), ("projection", "dash")):
            s = part[part["Series"] == series].sort_values("Timestamp")
            if s.empty:
                continue
            fig.add_scatter(
                x=s["Timestamp"].tolist(),
                y=s["MonthToDate"].astype(float).tolist(),
                mode="lines+markers" if series == "actual" else "lines",
                line={"dash": dash, "color": "#1f4e99" if series == "actual" else "#d97706"},
                name=series,
                legendgroup=series,
                showlegend=i == 1,
                hovertemplate="%{x|%b %d %H:%M}: $%{y:,.2f}<extra>" + series + "</extra>",
                row=i,
                col=1,
            )
        limit = (
            part["EnforcedLimit"].dropna().max() if part["EnforcedLimit"].notna().any() else None
        )
        values = part["MonthToDate"].dropna().astype(float).tolist()
        if limit is not None and _limit_visible(limit, values):
            fig.add_hline(
                y=float(limit),
                line={"color": "#b91c1c", "dash": "dot"},
                annotation_text=f"limit ${limit:,}",
                row=i,
                col=1,
            )
        elif limit is not None:
            fig.add_annotation(
                text=f"limit ${limit:,} (off scale)",
                xref=f"x{i if i > 1 else ''} domain",
                yref=f"y{i if i > 1 else ''} domain",
                x=1,
                y=1,
                showarrow=False,
                font={"color": "#b91c1c", "size": 11},
            )
        fig.update_yaxes(title_text="USD", row=i, col=1)
    fig.update_layout(title=title, height=max(320, 220 * len(keys)))
    return fig


def spend_history(history: pd.DataFrame) -> go.Figure:
    """Month-to-date spend at each recorded snapshot (``analysis.History(...).spend()``).

    One line per region and kind; snapshots with no data yet are gaps, not zeros, and the line
    breaks where a UTC month begins (month-to-date starts again from nothing there, which is not a
    drop in spend).
    """
    title = "Spend snapshots from the history file"
    if history.empty:
        return _empty(title, "no snapshots recorded yet: run `ppv2kit snapshot` on a schedule")
    fig = go.Figure()
    for (region, kind), part in history.groupby(["region", "kind"], sort=True, observed=True):
        xs, ys = _month_broken(part.sort_values("taken_at"))
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="lines+markers",
            name=f"{region} · {kind}",
            connectgaps=False,
        )
    fig.update_layout(title=title, xaxis_title="snapshot", yaxis_title="USD month to date")
    return fig


def _month_broken(part: pd.DataFrame) -> tuple[list[Any], list[float | None]]:
    """Snapshot times and month-to-date values, with a gap at the start of each new month."""
    xs: list[Any] = []
    ys: list[float | None] = []
    month = None
    for taken_at, mtd in zip(part["taken_at"], part["month_to_date"], strict=True):
        stamp = pd.Timestamp(taken_at)
        if month is not None and stamp.strftime("%Y-%m") != month:
            xs.append(stamp.normalize().replace(day=1))  # the month's first instant: a gap
            ys.append(None)
        month = stamp.strftime("%Y-%m")
        xs.append(stamp)
        ys.append(None if pd.isna(mtd) else float(mtd))
    return xs, ys


def opt_out_timeline(
    timeline: pd.DataFrame, *, title: str | None = None, now: Any = None
) -> go.Figure:
    """Stacked bars of opt-outs per period (``analysis.opt_out_timeline(...)``).

    A period still running at ``now`` is drawn hatched and labelled "so far" (it is not a drop);
    when one period dwarfs the rest (a bulk import), the axis stops above the others and the
    tall bar is labelled with its total, so it does not flatten them.
    """
    title = title or "Opt-outs over time"
    if timeline.empty:
        return _empty(title, "no opted-out numbers")
    by = next((c for c in timeline.columns if c not in ("Period", "OptOuts")), None)
    periods = sorted(pd.Series(timeline["Period"]).unique())
    partial = None
    if now is not None and len(periods) > 1:
        stamps = [pd.Timestamp(p) for p in periods]
        step = min(b - a for a, b in itertools.pairwise(stamps))
        last = pd.Timestamp(periods[-1])
        stamp = pd.Timestamp(now)
        if last.tzinfo is None and stamp.tzinfo is not None:
            stamp = stamp.tz_convert("UTC").tz_localize(None)
        if last <= stamp < last + step:
            partial = periods[-1]
    per_period = timeline.groupby("Period")["OptOuts"].sum().astype(float)
    ranked = per_period.sort_values(ascending=False)
    clip = None
    if len(ranked) > 2 and ranked.iloc[0] > OUTLIER * max(ranked.iloc[1], 1.0):
        clip = ranked.iloc[1] * 1.3
    fig = go.Figure()
    groups = timeline.groupby(by, sort=True) if by else [("opt-outs", timeline)]
    for name, part in groups:
        xs = part["Period"].tolist()
        fig.add_bar(
            name=str(name),
            x=xs,
            y=part["OptOuts"].astype(int).tolist(),
            marker_pattern_shape=["/" if x == partial else "" for x in xs],
            hovertemplate="%{x|%Y-%m-%d}: %{y}<extra>" + str(name) + "</extra>",
        )
    if partial is not None:
        fig.add_annotation(
            x=partial,
            y=float(per_period.loc[partial]),
            text="so far",
            showarrow=False,
            yshift=12,
        )
    if clip is not None:
        for period, total in ranked.items():
            if total <= clip:
                break
            fig.add_annotation(x=period, y=clip, text=f"{total:,.0f} ↑", showarrow=False, yshift=8)
        fig.update_yaxes(range=[0, clip * 1.08])
    fig.update_layout(
        title=title,
        barmode="stack",
        xaxis_title="period starting",
        yaxis_title="opt-outs",
        legend_title=by or "",
    )
    return fig


def _plural(count: Any, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def list_usage(lists: pd.DataFrame) -> go.Figure:
    """Each opt-out list's size, coloured by whether any pool, number or sender ID uses it.

    Parameters
    ----------
    lists:
        ``analysis.opt_out_lists(inv)``.
    """
    title = "Opt-out lists: size and use"
    if lists.empty:
        return _empty(title, "no opt-out lists")
    df = lists.sort_values("Numbers")
    labels = (df["Region"].astype(str) + " / " + df["OptOutListName"].astype(str)).tolist()
    fig = go.Figure()
    for used, name, colour in ((True, "used", "#1f4e99"), (False, "unused", "#b91c1c")):
        part = df["Used"].fillna(False) == used
        users = [
            ", ".join(_plural(v, w) for v, w in ((p, "pool"), (n, "number"), (s, "sender ID")))
            for p, n, s in zip(
                df.loc[part, "Pools"],
                df.loc[part, "PhoneNumbers"],
                df.loc[part, "SenderIds"],
                strict=True,
            )
        ]
        fig.add_bar(
            name=name,
            y=[lab for lab, keep in zip(labels, part, strict=True) if keep],
            x=df.loc[part, "Numbers"].astype(int).tolist(),
            orientation="h",
            marker_color=colour,
            text=users,
            textposition="auto",
            hovertemplate="%{y}: %{x:,} numbers<br>%{text}<extra>" + name + "</extra>",
        )
    fig.update_layout(
        title=title,
        xaxis_title="opted-out numbers",
        height=max(260, 40 * len(df) + 120),
        barmode="overlay",
    )
    return fig


def findings_by_severity(findings: pd.DataFrame) -> go.Figure:
    """How many findings of each code, coloured by severity (``analysis.findings_frame``)."""
    title = "Findings"
    if findings.empty:
        return _empty(title, "no findings")
    counts = findings.groupby(["Severity", "Code"], observed=True).size().reset_index(name="n")
    fig = go.Figure()
    for severity, part in counts.groupby("Severity", observed=True, sort=True):
        fig.add_bar(
            name=str(severity),
            y=part["Code"].astype(str).tolist(),
            x=part["n"].astype(int).tolist(),
            orientation="h",
            marker_color=SEVERITY_COLOURS.get(str(severity), "#6b7280"),
        )
    n_codes = counts["Code"].nunique()
    fig.update_layout(
        title=title,
        barmode="stack",
        xaxis_title="findings",
        yaxis={"autorange": "reversed"},
        legend={"traceorder": "normal"},
        height=max(240, 36 * n_codes + 120),
    )
    fig.update_xaxes(dtick=max(1, math.ceil(counts["n"].max() / 10)))
    return fig


REGISTRATION_STATUS_COLOURS = {
    "DRAFT": "#9ca3af",
    "SUBMITTED": "#60a5fa",
    "AWS_REVIEWING": "#3b82f6",
    "REVIEWING": "#2563eb",
    "REQUIRES_AUTHENTICATION": "#d97706",
    "APPROVED": "#15803d",
    "DENIED": "#b91c1c",
    "DISCARDED": "#6b7280",
    "REVOKED": "#7f1d1d",
    "ARCHIVED": "#d1d5db",
}


def registration_timeline(timeline: pd.DataFrame) -> go.Figure:
    """Each registration version's statuses as bars along time (``analysis.version_timeline``).

    One row per version (``type · id · vN``), one colour per status; a version's current status
    runs to the backend's clock.
    """
    title = "Registration versions through their statuses"
    if timeline.empty:
        return _empty(title, "no registrations")
    df = timeline.copy()
    df["Label"] = [
        f"{t} · {str(i).removeprefix('registration-')[:8]} · v{v}"
        for t, i, v in zip(
            df["RegistrationType"], df["RegistrationId"], df["VersionNumber"], strict=True
        )
    ]
    fig = go.Figure()
    for status in [s for s in REGISTRATION_STATUS_COLOURS if s in set(df["Status"])]:
        part = df[df["Status"] == status]
        start = part["Start"].dt.tz_convert(None)
        end = part["End"].dt.tz_convert(None)
        fig.add_bar(
            name=status,
            y=part["Label"].tolist(),
            base=start.tolist(),
            x=((end - start) / pd.Timedelta(milliseconds=1)).tolist(),
            orientation="h",
            marker_color=REGISTRATION_STATUS_COLOURS[status],
            customdata=list(zip(start.astype(str), end.astype(str), strict=True)),
            hovertemplate="%{y}<br>"
            + status
            + ": %{customdata[0]} → %{customdata[1]}<extra></extra>",
        )
    labels = list(dict.fromkeys(df["Label"]))
    fig.update_layout(
        title=title,
        barmode="overlay",
        xaxis={"type": "date", "title": "time (UTC)"},
        yaxis={"categoryorder": "array", "categoryarray": labels, "autorange": "reversed"},
        height=max(260, 30 * len(labels) + 140),
    )
    return fig


def registration_status_counts(counts: pd.DataFrame) -> go.Figure:
    """Registrations per type, stacked by status (``analysis.status_counts``)."""
    title = "Registrations by type and status"
    statuses = [c for c in counts.columns if c != "RegistrationType"]
    if counts.empty or not statuses:
        return _empty(title, "no registrations")
    colours = {
        "CREATED": "#9ca3af",
        "SUBMITTED": "#60a5fa",
        "AWS_REVIEWING": "#3b82f6",
        "REVIEWING": "#2563eb",
        "PROVISIONING": "#0891b2",
        "REQUIRES_AUTHENTICATION": "#d97706",
        "REQUIRES_UPDATES": "#b91c1c",
        "COMPLETE": "#15803d",
        "CLOSED": "#6b7280",
        "DELETED": "#d1d5db",
    }
    fig = go.Figure()
    for status in statuses:
        fig.add_bar(
            name=status,
            y=counts["RegistrationType"].astype(str).tolist(),
            x=counts[status].astype(int).tolist(),
            orientation="h",
            marker_color=colours.get(status, "#6b7280"),
        )
    fig.update_layout(
        title=title,
        barmode="stack",
        xaxis_title="registrations",
        yaxis={"autorange": "reversed"},
        height=max(240, 36 * len(counts) + 120),
    )
    fig.update_xaxes(dtick=1)
    return fig
