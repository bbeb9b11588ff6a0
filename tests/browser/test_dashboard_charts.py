"""The dashboard's charts, measured by the browser that draws them: every
label, tick and printed value lies inside its chart, on a desktop and on a
phone, in both languages (Chinese characters are twice as wide as the Latin
letters a chart's layout is often counted in)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY

# Run in the page: each text of each chart whose box, as the browser measures
# it (getBBox, carried through every transform into the chart's own
# coordinates), reaches past the chart's viewBox, with by how much.
OUTSIDE_VIEWBOX = """
() => {
  const problems = [];
  const charts = [...document.querySelectorAll("figure.chart > svg")];
  for (const svg of charts) {
    const [vx, vy, vw, vh] = svg.getAttribute("viewBox").split(/[\\s,]+/).map(Number);
    const toChart = svg.getScreenCTM().inverse();
    for (const text of svg.querySelectorAll("text")) {
      if (!text.textContent.trim()) continue;
      const box = text.getBBox();
      const m = toChart.multiply(text.getScreenCTM());
      const corners = [[box.x, box.y], [box.x + box.width, box.y],
                       [box.x, box.y + box.height], [box.x + box.width, box.y + box.height]]
        .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
      const xs = corners.map((c) => c[0]), ys = corners.map((c) => c[1]);
      const over = Math.max(vx - Math.min(...xs), Math.max(...xs) - (vx + vw),
                            vy - Math.min(...ys), Math.max(...ys) - (vy + vh));
      if (over > 0.5) {
        problems.push(`${svg.getAttribute("aria-label")}: "${text.textContent}" `
          + `reaches ${over.toFixed(1)} past the chart`);
      }
    }
  }
  return {charts: charts.length, problems};
}
"""


def _every_chart_holds_its_texts(portal: Portal) -> None:
    expect(portal.page.locator("figure.chart > svg").first).to_be_visible()
    found = portal.page.evaluate(OUTSIDE_VIEWBOX)
    # The funnel and the breakdowns by province, month, institution and IP kind.
    assert found["charts"] >= 5, found
    assert found["problems"] == [], found["problems"]


def test_every_chart_holds_its_labels_on_a_desktop_and_a_phone(portal: Portal):
    portal.sign_in("regulator@example.com")
    portal.open("/dashboard/")
    portal.heading("Campaign dashboard", "专项活动数据看板")
    # The institutions' chart, whose long names are what a layout counted in
    # Latin letters cut off.
    portal.page.locator("#table-institution").evaluate("(el) => el.scrollIntoView()")
    portal.shot("regulator", "charts")
    _every_chart_holds_its_texts(portal)

    portal.page.set_viewport_size({"width": 375, "height": 740})
    portal.open("/dashboard/")
    portal.page.locator("#table-funnel").evaluate("(el) => el.scrollIntoView()")
    portal.shot("regulator", "phone-charts")
    _every_chart_holds_its_texts(portal)
    # Drawn no smaller than 40rem: a 12 px label is still 10 px tall, and the
    # chart scrolls sideways in its figure rather than the page.
    scales = portal.page.locator("figure.chart > svg").evaluate_all(
        "(svgs) => svgs.map((svg) => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)"
    )
    assert min(scales) >= 0.85, scales
    portal.fits_the_screen()
