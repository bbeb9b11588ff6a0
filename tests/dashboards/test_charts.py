"""Charts are SVG drawn on the server from the rows a table shows."""

from __future__ import annotations

import re
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
