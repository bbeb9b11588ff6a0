"""The figures' registry (dashboards/figures.py): one declaration per figure
drives the API and its schema, the tables, the cards and the reports."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import User
from dashboards import figures as registry
from dashboards.figures import Figure, How
from dashboards.selectors import Scope
from events.models import Event, Meeting

pytestmark = pytest.mark.django_db

CAMPAIGN = "park-campaign-2020"
NAMES = [figure.name for figure in registry.FIGURES]


def api_for(email: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(email=email))
    return client


def page_for(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def with_figures(monkeypatch: pytest.MonkeyPatch, *extra: Figure) -> None:
    """The registry as if these figures had been declared after the others."""
    figures = (*registry.FIGURES, *extra)
    monkeypatch.setattr(registry, "FIGURES", figures)
    for name, value in registry.derive(figures)._asdict().items():
        monkeypatch.setattr(registry, name, value)


# Stored nowhere: a sum of two figures already kept in the rollups.
SIGNINGS = Figure(
    "signings",
    _("Intentions and loans"),
    _("Intention agreements and loan contracts together."),
    "contracts",
    How.TOTAL,
    sum_of=("intentions", "loans"),
    shown=frozenset({registry.LIST, registry.COLUMN}),
)


def test_the_summary_and_a_breakdown_carry_every_declared_figure_in_its_order():
    client = api_for("regulator@example.com")

    summary = client.get("/api/v1/dashboard/summary/", {"campaign": CAMPAIGN}).json()
    rows = client.get("/api/v1/dashboard/by/province/", {"campaign": CAMPAIGN}).json()

    assert [key for key in summary if key != "upcoming"] == NAMES
    row = rows["results"][0] if isinstance(rows, dict) else rows[0]
    assert set(NAMES) <= set(row)
    # Amounts are decimal strings, counts whole numbers.
    assert summary["contract_amount"] == "710000000.00"
    assert summary["disbursed_amount"].replace(".", "").isdigit()
    assert summary["activities"] == 22


def test_an_events_report_carries_every_declared_figure():
    event = Event.objects.filter(status=Event.Status.PUBLISHED).order_by("starts_at").first()
    assert event is not None

    report = api_for("regulator@example.com").get(f"/api/v1/dashboard/events/{event.slug}/")

    assert report.status_code == 200, report.content
    assert list(report.json()["figures"]) == NAMES


def test_the_schema_documents_every_figure_with_what_it_counts():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    properties = schema["components"]["schemas"]["Figures"]["properties"]

    assert list(properties) == NAMES
    for figure in registry.FIGURES:
        assert properties[figure.name]["description"] == str(figure.help), figure.name
        assert properties[figure.name]["type"] == ("string" if figure.money else "integer")
    summary = schema["components"]["schemas"]["Summary"]["properties"]
    assert set(NAMES) <= set(summary)


def test_a_figure_declared_in_the_registry_reaches_the_api_the_schema_and_the_tables(
    monkeypatch,
):
    with_figures(monkeypatch, SIGNINGS)
    client = api_for("regulator@example.com")

    summary = client.get("/api/v1/dashboard/summary/", {"campaign": CAMPAIGN}).json()
    by_institution = client.get("/api/v1/dashboard/by/institution/", {"campaign": CAMPAIGN})
    schema = SchemaGenerator().get_schema(request=None, public=True)
    page = page_for("regulator@example.com")
    exported = page.get("/dashboard/export/figures.csv", {"campaign": CAMPAIGN})
    institutions = page.get("/dashboard/export/institution.csv", {"campaign": CAMPAIGN})

    assert summary["signings"] == summary["intentions"] + summary["loans"]
    assert summary["signings"] > 0
    row = by_institution.json()["results"][0]
    assert row["signings"] == row["intentions"] + row["loans"]
    described = schema["components"]["schemas"]["Figures"]["properties"]["signings"]
    assert described["description"] == "Intention agreements and loan contracts together."
    figures = dict(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert figures["Intentions and loans"] == str(summary["signings"])
    header = next(csv.reader(io.StringIO(institutions.content.decode("utf-8-sig"))))
    assert "Intentions and loans" in header


def test_the_cards_show_every_card_figure_labelled_in_chinese():
    html = page_for("regulator@example.com").get("/zh-hans/dashboard/", {"campaign": CAMPAIGN})
    home = Client().get("/zh-hans/")

    with translation.override("zh-hans"):
        labels = {figure.name: str(figure.label) for figure in registry.CARDS}
    for text in (html.content.decode(), home.content.decode()):
        for name, label in labels.items():
            assert f"<dt>{label}</dt>" in text, name
            assert f'data-figure="{name}"' in text, name
    assert labels["contracts_signed"] == "现场签约"


def test_an_events_report_page_lists_every_figure_of_an_event():
    event = Event.objects.filter(status=Event.Status.PUBLISHED, contracts__isnull=False).first()
    assert event is not None

    html = page_for("regulator@example.com").get(f"/dashboard/events/{event.slug}/")

    text = html.content.decode()
    for figure in registry.OF_EVENT:
        assert f'<th scope="row">{figure.label}</th>' in text, figure.name
        assert f'data-figure="{figure.name}"' in text, figure.name
    assert 'data-figure="activities"' not in text  # an event is one activity


def test_the_pdf_reports_figures_are_the_listed_ones_in_chinese():
    from reports.pdf import report_context

    event = Event.objects.filter(campaign__slug=CAMPAIGN).first()
    assert event is not None and event.campaign is not None
    campaign = event.campaign
    with translation.override("zh-hans"):
        context = report_context(scope=Scope(campaign=campaign), progress=lambda *_: None)
        html = render_to_string("reports/pdf/report.html", {**context, "author": "-"})
        labels = [str(figure.label) for figure in registry.LISTED]

    for label in labels:
        assert f"<dt>{label}</dt>" in html, label
    assert '<dd data-figure="contract_amount">7.1亿元</dd>' in html


def error_ids(*figures: Figure) -> list[str]:
    from dashboards.checks import figure_errors

    return [str(error.id) for error in figure_errors(figures, registry.SOURCES)]


def test_the_declared_registry_passes_its_checks():
    assert error_ids(*registry.FIGURES) == []
    call_command("check", "--fail-level", "ERROR", stdout=io.StringIO())


def test_a_figure_from_an_undeclared_source_is_refused():
    stray = replace(registry.BY_NAME["meetings"], source="visits")

    others = [figure for figure in registry.FIGURES if figure.name != "meetings"]

    assert error_ids(*others, stray) == ["dashboards.E001"]


def test_a_name_declared_twice_is_refused():
    twice = replace(registry.BY_NAME["loans"], label=_("Loans again"))

    assert error_ids(*registry.FIGURES, twice) == ["dashboards.E002"]


def test_an_additive_figure_without_its_rollup_column_is_refused():
    held = Figure(
        "meetings_held",
        _("Meetings held"),
        _("Meetings held."),
        "meetings",
        How.ADDITIVE,
        count=Count("pk", filter=Q(status=Meeting.Status.HELD)),
    )
    lenders = Figure(
        "lenders",
        _("Lenders"),
        _("Institutions that signed."),
        "contracts",
        How.DISTINCT,
        party="institution_id",
        role=99,
    )

    assert error_ids(*registry.FIGURES, held) == ["dashboards.E003"]
    assert error_ids(*registry.FIGURES, lenders) == ["dashboards.E003", "dashboards.E004"]


def test_a_total_of_figures_not_declared_is_refused():
    total = replace(SIGNINGS, sum_of=("intentions", "pledges"))

    assert error_ids(*registry.FIGURES, total) == ["dashboards.E005"]


def test_the_registry_with_a_bad_figure_fails_the_system_check(monkeypatch):
    with_figures(monkeypatch, replace(SIGNINGS, source="visits"))

    with pytest.raises(SystemCheckError, match=r"dashboards\.E001"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())


def test_docs_figures_md_has_the_registrys_table():
    from dashboards.management.commands.figure_docs import DOC, render

    written = (Path(settings.BASE_DIR) / DOC).read_text(encoding="utf-8")

    assert written == render(written), "run `python manage.py figure_docs`"
    for figure in registry.FIGURES:
        assert f"| `{figure.name}` |" in written


def test_the_docs_table_follows_a_new_figure(monkeypatch):
    from dashboards.management.commands.figure_docs import DOC, render

    with_figures(monkeypatch, SIGNINGS)
    written = render((Path(settings.BASE_DIR) / DOC).read_text(encoding="utf-8"))

    assert "| `signings` | Intentions and loans | Intentions and loans |" in written
    assert "sum of `intentions` and `loans`" in written
