"""Importing a bureau's report: row-by-row checks, all or nothing, idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from dashboards.cells import dashboard_figures
from dashboards.selectors import Scope, campaign_figures
from events.models import Event, Registration, RegistrationStatusChange
from financing.models import Contract
from reports.models import Job
from reports.services import job_create
from tests.reports.conftest import (
    CONTRACT_HEADER,
    EVENT_HEADER,
    REGISTRATION_HEADER,
    bureau_workbook,
    workbook,
)
from tests.sheets import FORMULAS, assert_inert_csv, assert_inert_workbook

pytestmark = pytest.mark.django_db


def run_import(
    owner, data: bytes, *, name: str = "bureau.xlsx", sheet: str = "", capture=None
) -> Job:
    with capture(execute=True):
        job = job_create(
            owner=owner,
            kind=Job.Kind.IMPORT,
            params={"sheet": sheet, "language": "en"},
            upload=ContentFile(data, name=name),
        )
    job.refresh_from_db()
    return job


def counts() -> tuple[int, int, int, int]:
    return (
        Event.objects.count(),
        Registration.objects.count(),
        Contract.objects.count(),
        RegistrationStatusChange.objects.count(),
    )


def test_a_bureau_report_is_written_and_counts_in_the_figures(
    national, parties, django_capture_on_commit_callbacks
):
    campaign = parties["campaign"]
    before = campaign_figures(scope=Scope(campaign=campaign))

    job = run_import(national, bureau_workbook(parties), capture=django_capture_on_commit_callbacks)

    assert job.status == Job.Status.DONE, job.errors
    assert job.progress == 100
    assert job.summary["events"] == {"created": 1, "updated": 0, "unchanged": 0}
    event = Event.objects.get(slug="zj-import-station")
    assert event.host_province_id == "330000"
    assert event.status == Event.Status.PUBLISHED
    assert set(event.kinds.values_list("code", flat=True)) == {"product_release", "signing"}
    assert event.participants_total == 1350
    checked_in = Registration.objects.get(event=event, enterprise=parties["enterprise"])
    assert checked_in.status == Registration.Status.CHECKED_IN
    assert checked_in.need_amount == Decimal("5000000.00")
    loan = Contract.objects.get(reference="ZJ-IMP-0001")
    assert (loan.kind, loan.amount, loan.event) == (
        Contract.Kind.LOAN,
        Decimal("20000000.00"),
        event,
    )
    after = campaign_figures(scope=Scope(campaign=campaign))
    assert after.activities == before.activities + 1
    assert after.contracts_signed == before.contracts_signed + 2
    assert after.contract_amount == before.contract_amount + Decimal("25000000.00")
    assert after.intention_amount == before.intention_amount + Decimal("5000000.00")


def test_importing_the_same_file_twice_changes_nothing(
    national, parties, django_capture_on_commit_callbacks
):
    data = bureau_workbook(parties)
    run_import(national, data, capture=django_capture_on_commit_callbacks)
    written = counts()
    event = Event.objects.get(slug="zj-import-station")
    stamp = event.updated_at

    again = run_import(national, data, capture=django_capture_on_commit_callbacks)

    assert again.status == Job.Status.DONE
    assert counts() == written
    assert {sheet: c["unchanged"] for sheet, c in again.summary.items()} == {
        "events": 1,
        "registrations": 2,
        "contracts": 2,
    }
    event.refresh_from_db()
    assert event.updated_at == stamp
    assert "Nothing changed" in again.message


def test_a_changed_row_updates_the_row_it_names(
    national, parties, django_capture_on_commit_callbacks
):
    run_import(national, bureau_workbook(parties), capture=django_capture_on_commit_callbacks)
    e1, bank = parties["enterprise"].credit_code, parties["institution"].code
    contracts = [
        CONTRACT_HEADER,
        ["ZJ-IMP-0001", "zj-import-station", "贷款合同", "2500万", "2020-12-08", e1, bank],
    ]

    job = run_import(
        national, workbook(contracts=contracts), capture=django_capture_on_commit_callbacks
    )

    assert job.summary == {"contracts": {"created": 0, "updated": 1, "unchanged": 0}}
    assert Contract.objects.get(reference="ZJ-IMP-0001").amount == Decimal("25000000.00")


def test_one_bad_row_refuses_the_file_naming_sheet_row_and_column(
    national, parties, django_capture_on_commit_callbacks
):
    e1, bank = parties["enterprise"].credit_code, parties["institution"].code
    contracts = [
        CONTRACT_HEADER,
        ["ZJ-IMP-0001", "zj-import-station", "贷款合同", "2000万", "2020-12-08", e1, bank],
        ["ZJ-IMP-0002", "zj-import-station", "loan", "lots", "2020-12-08", e1, bank],
    ]
    before = counts()

    job = run_import(
        national,
        bureau_workbook(parties, contracts=contracts),
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.FAILED
    assert counts() == before
    assert not Event.objects.filter(slug="zj-import-station").exists()
    assert job.errors == [
        {
            "sheet": "contracts",
            "row": 3,
            "column": "amount",
            "cell": "D3",
            "message": "“lots” is not an amount in yuan.",
        }
    ]
    assert job.message == "1 row has errors; nothing was imported."


def test_every_bad_row_is_listed(national, parties, django_capture_on_commit_callbacks):
    registrations = [
        REGISTRATION_HEADER,
        ["zj-import-station", "91330100MA00000000", None, "registered", None],
        ["no-such-event", parties["enterprise"].credit_code, None, "registered", None],
        ["zj-import-station", parties["enterprise"].credit_code, None, "maybe", None],
    ]

    job = run_import(
        national,
        bureau_workbook(parties, registrations=registrations),
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.FAILED
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [
        ("registrations", 2, "credit_code"),
        ("registrations", 3, "event"),
        ("registrations", 4, "status"),
    ]


def test_a_provincial_regulator_may_not_import_another_provinces_rows(
    zhejiang, parties, django_capture_on_commit_callbacks
):
    before = counts()

    job = run_import(
        zhejiang,
        bureau_workbook(parties, province="广东省"),
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.FAILED
    assert counts() == before
    assert job.errors[0]["sheet"] == "events"
    assert job.errors[0]["column"] == "host_province"
    assert "own province" in job.errors[0]["message"]


def test_a_provincial_regulator_imports_its_own_province(
    zhejiang, parties, django_capture_on_commit_callbacks
):
    job = run_import(zhejiang, bureau_workbook(parties), capture=django_capture_on_commit_callbacks)

    assert job.status == Job.Status.DONE, job.errors
    assert Event.objects.get(slug="zj-import-station").created_by == zhejiang


def test_another_provinces_existing_event_cannot_be_named(
    zhejiang, parties, django_capture_on_commit_callbacks
):
    guangdong = Event.objects.filter(host_province_id="440000").first()
    assert guangdong is not None
    contracts = [
        CONTRACT_HEADER,
        [
            "GD-IMP-1",
            guangdong.slug,
            "loan",
            1000000,
            "2020-12-08",
            parties["enterprise"].credit_code,
            parties["institution"].code,
        ],
    ]

    job = run_import(
        zhejiang, workbook(contracts=contracts), capture=django_capture_on_commit_callbacks
    )

    assert job.status == Job.Status.FAILED
    assert (job.errors[0]["row"], job.errors[0]["column"]) == (2, "event")
    assert not Contract.objects.filter(reference="GD-IMP-1").exists()


def test_chinese_headings_and_a_csv_sheet_are_read(
    national, parties, django_capture_on_commit_callbacks
):
    data = (
        "活动编号,活动名称,主办省份,开始时间,结束时间,线上参与人数\n"
        "zj-csv-station,CSV导入测试,330000,2020-12-09,2020-12-09,300\n"
    ).encode("gbk")

    job = run_import(
        national,
        data,
        name="events.csv",
        sheet="events",
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.DONE, job.errors
    event = Event.objects.get(slug="zj-csv-station")
    assert event.title_zh == "CSV导入测试"
    assert event.participants_online == 300
    assert event.ends_at > event.starts_at


def test_a_csv_in_no_readable_encoding_is_refused_with_a_message(
    national, django_capture_on_commit_callbacks
):
    before = counts()
    job = run_import(
        national,
        b"\x81\x30\xff\xfe\x00slug\xff",  # neither UTF-8 nor GB18030
        name="events.csv",
        sheet="events",
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.FAILED
    assert "neither an Excel workbook" in job.message
    assert counts() == before


def test_a_workbook_without_known_sheets_is_refused(national, django_capture_on_commit_callbacks):
    job = run_import(
        national,
        workbook(Sheet1=[EVENT_HEADER]),
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.FAILED
    assert "no sheet named events" in job.message


def test_a_missing_required_column_names_it(national, django_capture_on_commit_callbacks):
    job = run_import(
        national,
        workbook(events=[["slug", "title_zh"], ["x", "y"]]),
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.FAILED
    assert "host_province / 主办省份" in job.message


def test_the_same_key_twice_in_a_file_is_refused(
    national, parties, django_capture_on_commit_callbacks
):
    row = ["zj-dup", "", "重复", "", "", "330000", "2020-12-08", "2020-12-08", 1, 1]
    job = run_import(
        national,
        workbook(events=[EVENT_HEADER, row, row]),
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "slug")]
    assert not Event.objects.filter(slug="zj-dup").exists()


def test_the_dashboards_figures_follow_an_import(
    national, parties, django_capture_on_commit_callbacks
):
    campaign = parties["campaign"]
    scope = Scope(campaign=campaign)
    before = dashboard_figures(scope=scope)  # every event of the campaign rolled up
    event = Event.objects.filter(campaign=campaign, host_province_id="330000").first()
    assert event is not None
    contracts = [
        CONTRACT_HEADER,
        [
            "ZJ-ROLLUP-1",
            event.slug,
            "loan",
            "1000万",
            "2020-12-08",
            parties["enterprise"].credit_code,
            parties["institution"].code,
        ],
    ]

    run_import(national, workbook(contracts=contracts), capture=django_capture_on_commit_callbacks)

    after = dashboard_figures(scope=scope)
    assert after.contracts_signed == before.contracts_signed + 1
    assert after.contract_amount == before.contract_amount + Decimal("10000000.00")
    assert after == campaign_figures(scope=scope)


def test_an_event_code_in_capitals_finds_the_event(
    national, parties, django_capture_on_commit_callbacks
):
    event = Event.objects.filter(host_province_id="330000").first()
    assert event is not None
    contracts = [
        CONTRACT_HEADER,
        [
            "ZJ-CAPS-1",
            event.slug.upper(),
            "loan",
            1000000,
            "2020-12-08",
            parties["enterprise"].credit_code.lower(),
            parties["institution"].code,
        ],
    ]

    job = run_import(
        national, workbook(contracts=contracts), capture=django_capture_on_commit_callbacks
    )

    assert job.status == Job.Status.DONE, job.errors
    assert Contract.objects.get(reference="ZJ-CAPS-1").event == event


def test_imported_titles_and_numbers_like_formulas_are_text_in_the_dashboard_exports(
    national, parties, client, django_capture_on_commit_callbacks
):
    # Tabs and line breaks around a cell do not reach the portal: the importer strips them.
    typed = [formula for formula in FORMULAS if not formula[0].isspace()]
    e1, bank = parties["enterprise"].credit_code, parties["institution"].code
    campaign = parties["campaign"].slug
    events: list[list[object]] = [[*EVENT_HEADER]]
    contracts: list[list[object]] = [[*CONTRACT_HEADER]]
    for index, formula in enumerate(typed):
        slug = f"zj-formula-{index}"
        titles = [f"{formula}-活动", f"{formula}-event"]
        day = "2020-12-08"
        events.append([slug, campaign, *titles, "产品发布", "浙江省", day, day, 1, 1])
        contracts.append([f"{formula}-{index}", slug, "loan", 1000000, "2020-12-08", e1, bank])
    job = run_import(
        national,
        workbook(events=events, contracts=contracts, as_text=True),
        capture=django_capture_on_commit_callbacks,
    )
    assert job.status == Job.Status.DONE, job.errors
    client.force_login(national)
    scope = {"campaign": campaign, "province": "330000"}
    titles = [f"{formula}-event" for formula in typed]
    references = [f"{formula}-{index}" for index, formula in enumerate(typed)]

    assert_inert_csv(client.get("/dashboard/export/event.csv", scope).content, titles)
    assert_inert_workbook(client.get("/dashboard/export/all.xlsx", scope).content, titles)
    contracts_csv = client.get("/dashboard/export/contracts.csv", scope).streaming_content
    assert_inert_csv(b"".join(contracts_csv), references)
    contracts_xlsx = client.get("/dashboard/export/contracts.xlsx", scope).content
    assert_inert_workbook(contracts_xlsx, references)
