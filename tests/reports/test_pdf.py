"""The PDF report: made by a job, Chinese set as text, figures as the dashboard computes them."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation
from pypdf import PdfReader

from dashboards.selectors import Scope, campaign_figures
from events.models import Campaign, Event
from reports.models import Job
from reports.services import job_create

pytestmark = pytest.mark.django_db


def chinese_font_installed() -> bool:
    try:
        families = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(families.strip())


# Without a Chinese font the report sets its Chinese as blank glyphs, which no
# text can be read back from (.ci/run installs Debian's fonts-noto-cjk).
needs_chinese_font = pytest.mark.skipif(
    not chinese_font_installed(), reason="needs a Chinese font (Debian's fonts-noto-cjk)"
)


def report(owner, params, capture, language="zh-hans") -> Job:
    with capture(execute=True):
        job = job_create(owner=owner, kind=Job.Kind.REPORT, params={**params, "language": language})
    job.refresh_from_db()
    return job


def pdf_text(job: Job) -> str:
    with job.result.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@needs_chinese_font
def test_the_campaign_report_has_chinese_text_and_the_dashboards_figures(
    national, django_capture_on_commit_callbacks
):
    campaign = Campaign.objects.get(slug="park-campaign-2020")
    figures = campaign_figures(scope=Scope(campaign=campaign))

    job = report(national, {"campaign": campaign.slug}, django_capture_on_commit_callbacks)

    assert job.status == Job.Status.DONE, job.message
    assert job.result_name.endswith(".pdf")
    text = pdf_text(job)
    assert campaign.name_zh in text
    assert "浙江省" in text and "重庆市" in text
    # 7.1亿元 of contracts, 22 activities, 470,000 participants: as the seed reports them.
    assert "7.1亿元" in text
    assert f"{figures.contract_amount / 100_000_000:.1f}亿元" in text
    with translation.override("zh-hans"):
        assert intcomma(figures.participants_total) in text
    assert str(figures.activities) in text


@needs_chinese_font
def test_an_event_report_lists_its_contracts(national, django_capture_on_commit_callbacks):
    event = (
        Event.objects.filter(status=Event.Status.PUBLISHED, contracts__isnull=False)
        .distinct()
        .first()
    )
    assert event is not None
    references = list(event.contracts.values_list("reference", flat=True))

    job = report(national, {"event": event.slug}, django_capture_on_commit_callbacks, "en")

    text = pdf_text(job)
    assert event.title_en in text.replace("\n", " ")
    for reference in references:
        assert reference in text


@needs_chinese_font
def test_a_provincial_regulators_campaign_report_covers_its_province_only(
    zhejiang, django_capture_on_commit_callbacks
):
    job = report(zhejiang, {"campaign": "park-campaign-2020"}, django_capture_on_commit_callbacks)

    text = pdf_text(job)
    assert "浙江省" in text
    assert "重庆市" not in text
    assert "3亿元" in text  # Zhejiang: 300 million yuan of contracts


def test_a_report_outside_the_jurisdiction_fails_without_a_file(
    zhejiang, django_capture_on_commit_callbacks
):
    event = Event.objects.filter(host_province_id="500000").first()
    assert event is not None

    job = report(zhejiang, {"event": event.slug}, django_capture_on_commit_callbacks)

    assert job.status == Job.Status.FAILED
    assert not job.result
