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

Every text of a chart stays inside it. pygal sizes a chart's margins as if
every character were a narrow Latin letter (0.6 em), but a Chinese character
takes a full em: each chart is drawn by a subclass of pygal's (`_Measured`)
that measures its texts with `text_width`, which counts East Asian wide and
fullwidth characters as 1 em. A label too long for its room (an institution's
full name beside a horizontal bar) is cut with an ellipsis and keeps its full
name in a <title>, which a browser shows on hover.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import pygal
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygal.graph.graph import Graph
from pygal.style import Style
from pygal.util import get_texts_box

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


# How wide a character is drawn, in em: pygal's own estimate for any
# character, and a full em for an East Asian wide or fullwidth one (Chinese
# characters, fullwidth brackets and commas) and for one whose width depends on
# the font ("A", such as · and “”), which a Chinese font draws wide.
NARROW_EM = 0.6
WIDE = frozenset({"W", "F", "A"})
ELLIPSIS = "…"
# The most of a horizontal bar chart's width its labels may take.
LABEL_SHARE = 0.4
# Room kept between a text and the chart's edge, in px.
PAD = 4


def text_width(text: str, font_size: float) -> float:
    """How wide `text` is drawn at `font_size` px, near enough to lay out a
    chart: 1 em a wide character, 0.6 em any other, nothing a combining mark."""
    ems = sum(
        0.0
        if unicodedata.combining(char)
        else 1.0
        if unicodedata.east_asian_width(char) in WIDE
        else NARROW_EM
        for char in text
    )
    return ems * font_size


def shorten(text: str, width: float, font_size: float) -> str:
    """`text` if it fits `width` px, else as much of it as fits with an ellipsis."""
    if text_width(text, font_size) <= width:
        return text
    room = width - text_width(ELLIPSIS, font_size)
    kept = ""
    for char in text:
        if text_width(kept + char, font_size) > room:
            break
        kept += char
    return kept.rstrip() + ELLIPSIS


def wrap(text: str, width: float, font_size: float) -> str:
    """`text` in lines that each fit `width` px, joined by newlines: broken
    at a space where a line has one, else between any two characters (as
    Chinese is)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if line and text_width(line + char, font_size) > width:
                space = line.rfind(" ")
                if char != " " and space > 0 and line[-1] != " " and line.isascii():
                    lines.append(line[:space])
                    line = line[space + 1 :]
                else:
                    lines.append(line.rstrip())
                    line = ""
                if char == " ":
                    continue
            line += char
        lines.append(line)
    return "\n".join(lines)


class _Measured(Graph):
    """What the portal's charts change in pygal's layout, mixed in before
    pygal's chart class: every margin holds its texts as `text_width`
    measures them (pygal counts 0.6 em a character), and a printed value that
    would leave the plot moves back inside it. `full_labels` maps a label cut
    with an ellipsis to the full one, which the axis shows on hover."""

    full_labels: dict[str, str]
    _bar_across: tuple[float, float] | None = None

    def _compute_margin(self) -> None:
        super()._compute_margin()
        fs = self.style.label_font_size
        box = self.margin_box
        # The labels left of the plot (categories of a horizontal chart, the
        # value axis of a vertical one): pygal added its own estimate.
        if self.show_y_labels and self._y_labels:
            texts = [label for label, _position in self._y_labels]
            box.left += max(text_width(t, fs) for t in texts) - get_texts_box(texts, fs)[1]
        if self.show_x_labels and self._x_labels:
            texts = [label for label, _position in self._x_labels]
            if self.x_label_rotation:
                # Slanted labels hang down and to the right of their tick.
                angle = math.radians(self.x_label_rotation)
                widest = max(text_width(t, fs) for t in texts)
                ours = max(widest * abs(math.sin(angle)), fs)
                theirs = max(get_texts_box(texts, fs)[1] * abs(math.sin(angle)), fs)
                box.bottom += ours - theirs
                box.right = max(box.right, widest * abs(math.cos(angle)) + PAD)
            else:
                # A label is centred on its tick: the first and last ticks
                # may stand on the plot's edges.
                box.left = max(box.left, text_width(texts[0], fs) / 2 + PAD)
                box.right = max(box.right, text_width(texts[-1], fs) / 2 + PAD)

    def _y_axis(self) -> None:
        super()._y_axis()
        if not self.horizontal:
            return
        # Each category's guide carries a <title>: pygal writes the category's
        # position there (0.1, 0.3…); the full name is what a reader wants.
        for axis in self.nodes["plot"].iter("g"):
            if not {"axis", "y"} <= set(axis.get("class", "").split()):
                continue
            for guides in axis.iter("g"):
                text, title = guides.find("text"), guides.find("title")
                if text is not None and title is not None and text.text:
                    title.text = self.full_labels.get(text.text, text.text)

    def _tooltip_and_print_values(
        self,
        serie_node: dict[str, Any],
        serie: Any,
        parent: Any,
        i: int,
        val: str,
        metadata: Any,
        x: float,
        y: float,
        width: float,
        height: float,
    ) -> None:
        # pygal gives a bar's box upright: a horizontal bar runs across the
        # plot between `y` (its value) and `y + height` (zero), whichever is
        # left. `_static_value` reads it.
        self._bar_across = (min(y, y + height), max(y, y + height)) if self.horizontal else None
        super()._tooltip_and_print_values(
            serie_node, serie, parent, i, val, metadata, x, y, width, height
        )
        self._bar_across = None

    def _static_value(
        self,
        serie_node: dict[str, Any],
        value: str,
        x: float,
        y: float,
        metadata: Any,
        align_text: str = "left",
        classes: Any = None,
    ) -> None:
        fs = self.style.value_font_size
        width = text_width(str(value), fs)
        across = self._bar_across
        if across and width + 2 * PAD > across[1] - across[0]:
            # A value longer than its horizontal bar stands past the bar's end
            # (the portal charts no negative values), not over the axis.
            x, align_text = across[1] + PAD, "start"
        elif align_text == "left" and x + width > self.view.width:
            # A point's value stands right of the point; at the plot's right
            # edge, it stands left of it.
            x -= 2 * fs + width
        start = {"middle": x - width / 2, "end": x - width}.get(align_text, x)
        shift = min(0.0, self.view.width - (start + width)) or max(0.0, -start)
        super()._static_value(serie_node, value, x + shift, y, metadata, align_text, classes)


class _Bar(_Measured, pygal.Bar):
    pass


class _HorizontalBar(_Measured, pygal.HorizontalBar):
    pass


class _Line(_Measured, pygal.Line):
    pass


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
        # pygal breaks a title by its own count of characters; these lines fit.
        "title": wrap(title, width - 2 * 12 - 2 * PAD, STYLE.title_font_size),
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
        # Labels are cut here, to the room they have (`shorten`), not by pygal.
        "truncate_label": -1,
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
    fs = STYLE.label_font_size
    if horizontal is None:
        # Upright bars only while every label fits under its own bar.
        horizontal = len(rows) > 8 or any(
            text_width(label, fs) > (width - 120) / max(len(rows), 1) - 2 * PAD for label, _ in rows
        )
    if height is None:
        height = max(220, 40 + 26 * len(rows)) if horizontal else 360
    kind = _HorizontalBar if horizontal else _Bar
    chart = kind(
        **_config(title=title, width=width, height=height, formatter=formatter), **_axis(rows)
    )
    labels = [label for label, _ in rows]
    if horizontal:
        # pygal draws the first row at the bottom; tables read from the top.
        rows, labels = list(reversed(rows)), list(reversed(labels))
        labels = [shorten(label, width * LABEL_SHARE, fs) for label in labels]
    chart.full_labels = {short: full for short, (full, _) in zip(labels, rows, strict=True)}
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
    chart = _Line(
        **_config(title=title, width=width, height=height, formatter=formatter),
        x_label_rotation=30 if len(rows) > 8 else 0,
        fill=True,
        **_axis(rows),
    )
    chart.x_labels = [label for label, _ in rows]
    chart.full_labels = {}
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
