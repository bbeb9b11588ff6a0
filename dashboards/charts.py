"""Charts as server-rendered SVG, for the dashboard pages and the PDF reports.

Every function takes the same rows a table shows (label, value) and returns
SVG markup, marked safe, to put straight into a template or an HTML page that
is turned into a PDF. No JavaScript and nothing fetched at run time. A page's
chart carries no styles of its own: the Content-Security-Policy refuses styles
written into a page, so the page links `static/css/charts.css` (`stylesheet()`
writes it). A chart for a PDF, which WeasyPrint prints and no browser shows,
keeps pygal's <style> in the SVG. Values are printed on the bars from the exact figures
(the formatter is given the row's own value), so a chart never shows a number
the table beside it does not.

Chinese labels are drawn with the first CJK font the viewer has: the Noto CJK
fonts the server installs, then the usual desktop ones, then any sans-serif.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from core.templatetags.money import count

Number = int | Decimal
Row = tuple[str, Number]

FONT_FAMILY = (
    "'Noto Sans CJK SC', 'Noto Serif CJK SC', 'Source Han Sans SC', 'PingFang SC', "
    "'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"
)
PALETTE = ("#1f6f8b", "#e07a1f", "#3c8d40", "#b03a48", "#6b5b95", "#8a8a3a")

STYLE = Style(
    font_family=FONT_FAMILY,
    background="white",
    plot_background="white",
    foreground="#333",
    foreground_strong="#111",
    foreground_subtle="#999",
    colors=PALETTE,
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=11,
    title_font_size=15,
    legend_font_size=12,
    tooltip_font_size=12,
)


def plain_number(value: Number) -> str:
    """A figure as the tables print it in exports: digits, no grouping."""
    return str(value)


def nice_ticks(top: float, *, most: int = 6) -> list[int | float]:
    """Ticks of a value axis from zero past `top`, at a round step (1, 2, 2.5
    or 5 times a power of ten), at most `most` steps."""
    if top <= 0:
        return [0, 1]
    rough = top / most
    power = 10 ** math.floor(math.log10(rough))
    step: float = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    if step >= 1:
        step = int(step) if float(step).is_integer() else step
    steps = math.ceil(top / step - 1e-9)
    return [step * n for n in range(steps + 1)]


def axis_label(value: float) -> str:
    """A tick as the reader counts: 0, 200, 1,400 and 200,000,000 in English;
    0, 200, 1400, 4亿 and 2.5万 in Chinese. Never 0.0."""
    return count(repr(value))


def _axis(rows: Sequence[Row]) -> dict[str, Any]:
    """A value axis from zero to a round number past the largest value."""
    ticks = nice_ticks(float(max((value for _label, value in rows), default=0)))
    return {"range": (0, ticks[-1]), "y_labels": ticks, "include_x_axis": True}


def _config(
    *, title: str, width: int, height: int, formatter: Callable[[Any], str]
) -> dict[str, Any]:
    return {
        "title": title,
        "style": STYLE,
        "width": width,
        "height": height,
        "explicit_size": True,
        # pygal's default pulls a tooltip script from the web; the portal never does.
        "js": [],
        "show_legend": False,
        "print_values": True,
        # The axis's ticks; each value printed has its own exact formatter.
        "value_formatter": axis_label,
        "disable_xml_declaration": True,
        "no_data_text": "—",
        "truncate_label": 24,
        "margin": 12,
    }


def _values(rows: Sequence[Row], formatter: Callable[[Any], str]) -> list[dict[str, Any]]:
    # pygal draws floats; the label printed is the exact figure, formatted once.
    return [
        {"value": float(value), "formatter": (lambda _v, exact=value: formatter(exact))}
        for _label, value in rows
    ]


# pygal always embeds its tooltip script's settings; without the script they do nothing.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL)
# The one style attribute pygal writes: it hides the tooltip its script would show.
_TOOLTIP_HIDDEN = ' style="opacity: 0"'
# Where the stylesheet comes from, for whoever finds it out of date.
STYLESHEET_COMMAND = (
    ".venv/bin/python -c \"from dashboards.charts import stylesheet; print(stylesheet(), end='')\""
    " > static/css/charts.css"
)


def _render(chart: pygal.graph.graph.Graph, title: str, *, embed_styles: bool) -> SafeString:
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    if not embed_styles:
        svg = _STYLE.sub("", svg).replace(_TOOLTIP_HIDDEN, "")
    # Screen readers and PDF outlines get the chart's title.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1))


def stylesheet() -> str:
    """What `static/css/charts.css` holds: the rules pygal writes into each
    chart under the chart's own id, for the portal's STYLE and every colour of
    its palette, scoped instead by the class every chart carries."""
    chart = pygal.Bar(**_config(title="", width=720, height=360, formatter=plain_number))
    for n in range(len(PALETTE)):
        chart.add(str(n), [1])
    svg = chart.render(is_unicode=True)
    match = _STYLE.search(svg)
    assert match is not None, "pygal wrote no <style> into its chart"
    css = html.unescape(match.group(1)).replace(f"#chart-{chart.uuid}", "svg.pygal-chart")
    return (
        "/* The dashboard charts' styles, which pygal would write into each chart\n"
        f"   (dashboards/charts.py). Written by:\n   {STYLESHEET_COMMAND} */\n"
        f"{css}\n"
        "svg.pygal-chart .tooltip{opacity:0}\n"
    )


def bar_chart(
    *,
    title: str,
    rows: Sequence[Row],
    formatter: Callable[[Any], str] = plain_number,
    horizontal: bool | None = None,
    width: int = 720,
    height: int | None = None,
    embed_styles: bool = False,
) -> SafeString:
    """One bar per row, in the rows' order. Many or long labels lie horizontal.
    `embed_styles` keeps the styles in the SVG, for a PDF (see the module's doc)."""
    if horizontal is None:
        horizontal = len(rows) > 8 or any(len(label) > 12 for label, _ in rows)
    if height is None:
        height = max(220, 40 + 26 * len(rows)) if horizontal else 360
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(
        **_config(title=title, width=width, height=height, formatter=formatter), **_axis(rows)
    )
    labels = [label for label, _ in rows]
    if horizontal:
        # pygal draws the first row at the bottom; tables read from the top.
        rows, labels = list(reversed(rows)), list(reversed(labels))
    chart.x_labels = labels
    chart.add(title, _values(rows, formatter))
    return _render(chart, title, embed_styles=embed_styles)


def line_chart(
    *,
    title: str,
    rows: Sequence[Row],
    formatter: Callable[[Any], str] = plain_number,
    width: int = 720,
    height: int = 320,
    embed_styles: bool = False,
) -> SafeString:
    """A figure over time: one point per row (e.g. per month), in order."""
    chart = pygal.Line(
        **_config(title=title, width=width, height=height, formatter=formatter),
        x_label_rotation=30 if len(rows) > 8 else 0,
        fill=True,
        **_axis(rows),
    )
    chart.x_labels = [label for label, _ in rows]
    chart.add(title, _values(rows, formatter))
    return _render(chart, title, embed_styles=embed_styles)


def funnel_chart(
    *,
    title: str,
    rows: Sequence[Row],
    formatter: Callable[[Any], str] = plain_number,
    width: int = 720,
    embed_styles: bool = False,
) -> SafeString:
    """Stages from the widest to the narrowest (registration → disbursed),
    drawn as horizontal bars so each stage keeps its label and exact count."""
    return bar_chart(
        title=title,
        rows=rows,
        formatter=formatter,
        horizontal=True,
        width=width,
        height=None,
        embed_styles=embed_styles,
    )
