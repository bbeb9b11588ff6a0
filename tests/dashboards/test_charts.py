"""Charts are SVG drawn on the server from the rows a table shows."""

from __future__ import annotations

import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import translation

from dashboards.charts import (
    PALETTE,
    STYLESHEET_COMMAND,
    bar_chart,
    funnel_chart,
    line_chart,
    stylesheet,
)


def test_a_bar_chart_prints_every_row_with_its_exact_figure():
    svg = bar_chart(
        title="合同金额（按省份）",
        rows=[("浙江省", Decimal("300000000.00")), ("北京市", Decimal("120000000.50"))],
    )

    assert svg.startswith("<svg")
    assert "浙江省" in svg and "北京市" in svg
    assert "300000000.00" in svg and "120000000.50" in svg
    assert 'aria-label="合同金额（按省份）"' in svg


def test_a_chart_fetches_nothing_at_run_time():
    svg = line_chart(title="By month", rows=[("2020-11", 3), ("2020-12", 5)])

    assert "<script" not in svg
    assert 'href="http' not in svg and 'href="//' not in svg
    assert "@import" not in svg


def test_the_funnel_keeps_its_stages_in_order_from_the_top():
    svg = funnel_chart(
        title="Funnel", rows=[("Registrations", 1400), ("Meetings", 300), ("Contracts", 40)]
    )

    # Horizontal bars are drawn bottom-up, so the last stage comes first in the markup.
    assert svg.index(">Contracts<") < svg.index(">Registrations<")
    assert ">1400<" in svg and ">40<" in svg


def test_a_chart_of_nothing_is_still_a_chart():
    assert bar_chart(title="Empty", rows=[]).startswith("<svg")


def test_a_pages_chart_carries_no_styles_and_a_pdfs_keeps_them():
    rows = [("浙江省", 3), ("北京市", 5)]
    page = bar_chart(title="Contracts", rows=rows)
    assert "<style" not in page and "style=" not in page
    assert 'class="pygal-chart"' in page  # what static/css/charts.css styles

    pdf = bar_chart(title="Contracts", rows=rows, embed_styles=True)
    assert "<style" in pdf and ".color-0" in pdf


def test_the_charts_stylesheet_is_the_one_pygal_would_embed():
    written = (Path(settings.BASE_DIR) / "static" / "css" / "charts.css").read_text()
    assert written == stylesheet(), f"static/css/charts.css is out of date: {STYLESHEET_COMMAND}"
    assert "#chart-" not in written
    assert all(f".color-{n}" in written for n in range(len(PALETTE)))


def _axis_labels(svg: str) -> list[str]:
    """The value axis's tick labels, in the order drawn."""
    axis = re.search(r'<g class="axis (?:y|x) always_show">(.*?)</g>\s*</g>', svg, re.S)
    assert axis is not None
    return re.findall(r"<text[^>]*>([^<]*)</text>", axis[1])


def test_the_monthly_amounts_axis_starts_at_zero_in_wan_and_yi():
    rows = [("2020-11", Decimal("280000000")), ("2020-12", Decimal("430000000"))]
    with translation.override("zh-hans"):
        svg = line_chart(title="合同金额（按月）", rows=rows)
    ticks = _axis_labels(svg)
    assert ticks[0] == "0", ticks
    assert all(not t.endswith(".0") for t in ticks), ticks
    assert "5亿" in ticks or "4亿" in ticks, ticks
    assert any(t.endswith("亿") or t.endswith("万") for t in ticks[1:]), ticks


def test_a_count_axis_has_whole_ticks_from_zero():
    svg = funnel_chart(title="From registration", rows=[("Registered", 208), ("Signed", 43)])
    ticks = _axis_labels(svg)
    assert ticks[0] == "0" and all("." not in t for t in ticks), ticks


# Where a chart's texts end up, measured independently of dashboards.charts:
# a Chinese (wide or fullwidth) character is 1 em wide, any other 0.6 em, a
# text reaches 0.9 em above its baseline and 0.25 em below, and it is anchored
# as the charts' stylesheet says (the value axis's labels end at their tick,
# category and tick labels below a plot are centred, slanted ones start there).
FONT_SIZES = {"title": 15, "value": 11}
TRANSLATE = re.compile(r"translate\(\s*([-\d.]+)[ ,]+([-\d.]+)\s*\)")
ROTATE = re.compile(r"rotate\(\s*([-\d.]+)[ ,]+([-\d.]+)[ ,]+([-\d.]+)\s*\)")


def _ems(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


def _anchor(text: ET.Element, ancestors: list[ET.Element]) -> str:
    if text.get("text-anchor") in ("middle", "end"):
        return text.get("text-anchor")  # type: ignore[return-value]
    classes = [set(a.get("class", "").split()) for a in ancestors]
    own = set(text.get("class", "").split())
    if "title" in own or "no_data" in own:
        return "middle"
    if any({"axis", "y"} <= c for c in classes):
        return "end"
    if any({"axis", "x"} <= c for c in classes):
        return "start" if text.get("transform") else "middle"
    return "start"


def texts_outside(svg: str) -> list[str]:
    """Each non-empty text of the chart that reaches past its viewBox, and how far."""
    root = ET.fromstring(svg)
    _x, _y, vw, vh = map(float, root.get("viewBox", "").split())
    problems = []

    def walk(node: ET.Element, ancestors: list[ET.Element], dx: float, dy: float) -> None:
        for child in node:
            tag = child.tag.rsplit("}", 1)[-1]
            moved = TRANSLATE.search(child.get("transform") or "")
            cx, cy = (dx + float(moved[1]), dy + float(moved[2])) if moved else (dx, dy)
            if tag == "text" and (child.text or "").strip():
                classes = set(child.get("class", "").split())
                fs = next((s for c, s in FONT_SIZES.items() if c in classes), 12)
                width = _ems(child.text or "") * fs
                x, y = float(child.get("x", 0)), float(child.get("y", 0))
                left = {"middle": x - width / 2, "end": x - width}.get(
                    _anchor(child, [*ancestors, node]), x
                )
                corners = [(left, y - 0.9 * fs), (left + width, y - 0.9 * fs)]
                corners += [(left, y + 0.25 * fs), (left + width, y + 0.25 * fs)]
                turned = ROTATE.search(child.get("transform") or "")
                if turned:
                    a, ox, oy = math.radians(float(turned[1])), float(turned[2]), float(turned[3])
                    corners = [
                        (
                            ox + (px - ox) * math.cos(a) - (py - oy) * math.sin(a),
                            oy + (px - ox) * math.sin(a) + (py - oy) * math.cos(a),
                        )
                        for px, py in corners
                    ]
                xs = [cx + px for px, _ in corners]
                ys = [cy + py for _, py in corners]
                over = max(-min(xs), max(xs) - vw, -min(ys), max(ys) - vh)
                if over > 0.5:
                    problems.append(f"{child.text!r} reaches {over:.1f}px past the chart")
            walk(child, [*ancestors, node], cx, cy)

    walk(root, [], 0.0, 0.0)
    return problems


INSTITUTIONS = [
    ("中国建设银行股份有限公司长沙高新支行", Decimal("142000000")),
    ("杭州联合农村商业银行股份有限公司高新支行", Decimal("136000000")),
    ("中国工商银行股份有限公司广东省分行", Decimal("78000000")),
    ("招商银行股份有限公司深圳分行", Decimal("5700000")),
    ("浙江泰隆商业银行", Decimal("550000")),
]
FUNNEL = [("报名数", 1795), ("一对一对接", 87), ("进入意向名单", 3), ("签订贷款合同", 40)]
MONTHS = [("2020-11", Decimal("269700000")), ("2020-12", Decimal("440300000"))]
YEAR = [(f"2020年{m}月", Decimal(m * 37_000_000)) for m in range(1, 13)]
PROVINCES = [("浙江省", Decimal("300000000")), ("重庆市", Decimal("220000000"))]


def _every_chart() -> dict[str, str]:
    from core.templatetags.money import yuan

    return {
        "institutions": bar_chart(title="签约金额 · 按机构", rows=INSTITUTIONS, formatter=yuan),
        "funnel": funnel_chart(title="从报名到放款", rows=FUNNEL),
        "months": line_chart(title="各月签约金额", rows=MONTHS, formatter=yuan),
        "a year": line_chart(title="各月签约金额", rows=YEAR, formatter=yuan),
        "provinces": bar_chart(title="签约金额 · 按省份", rows=PROVINCES, formatter=yuan),
        "a long title": bar_chart(title="现场签约金额（按举办省份）" * 6, rows=PROVINCES),
        # The PDF report's: narrower, of a fixed height, with its styles.
        "the report's events": bar_chart(
            title="各场活动现场签约金额",
            rows=[(name, amount) for name, amount in INSTITUTIONS],
            formatter=yuan,
            width=640,
            height=300,
            embed_styles=True,
        ),
    }


def test_every_text_of_a_chinese_chart_lies_inside_the_chart():
    with translation.override("zh-hans"):
        charts = _every_chart()
    outside = {name: texts_outside(svg) for name, svg in charts.items()}
    assert outside == {name: [] for name in charts}


def test_every_text_of_an_english_chart_lies_inside_the_chart():
    from core.templatetags.money import yuan

    rows = [("Industrial and Commercial Bank of China, Zhejiang Branch", Decimal("440300000"))]
    rows += [("Bank of Hangzhou, Science and Technology Sub-branch", Decimal("2500000"))]
    charts = {
        "banks": bar_chart(title="Contract amount · By institution", rows=rows, formatter=yuan),
        "months": line_chart(title="Contract amount by month", rows=MONTHS, formatter=yuan),
    }
    outside = {name: texts_outside(svg) for name, svg in charts.items()}
    assert outside == {name: [] for name in charts}


def test_a_name_too_long_for_its_room_is_cut_and_kept_whole_in_its_title():
    name = "中国工商银行股份有限公司浙江省杭州市高新技术产业开发区科技支行营业部"
    with translation.override("zh-hans"):
        svg = bar_chart(title="签约金额 · 按机构", rows=[(name, 5), ("浙江泰隆商业银行", 3)])
    shown = re.findall(r"<text[^>]*>([^<]*…)</text>", svg)
    assert len(shown) == 1 and name.startswith(shown[0][:-1]), shown
    assert f"<title>{name}</title>" in svg
    assert "<title>浙江泰隆商业银行</title>" in svg  # a name that fits is shown whole


def test_a_value_too_long_for_its_bar_stands_past_the_bars_end():
    svg = funnel_chart(title="从报名到放款", rows=[("报名数", 1795), ("意向协议", 3)])
    root = ET.fromstring(svg)
    bars = sorted(
        float(rect.get("width", 0)) + float(rect.get("x", 0))
        for rect in root.iter("{http://www.w3.org/2000/svg}rect")
        if "tooltip-trigger" in (rect.get("class") or "")
    )
    values = {
        text.text: text
        for text in root.iter("{http://www.w3.org/2000/svg}text")
        if text.get("class") == "value"
    }
    # The short bar's 3 starts right of the bar, clear of the axis at its foot;
    # the long bar's 1795 stays centred on it.
    assert values["3"].get("text-anchor") == "start"
    assert float(values["3"].get("x", 0)) > bars[0]
    assert values["1795"].get("text-anchor") == "middle"
