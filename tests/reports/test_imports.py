"""Importing a bureau's report: row-by-row checks, all or nothing, idempotent."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation
from openpyxl import load_workbook

from core.spreadsheets import Choice
from dashboards.cells import dashboard_figures
from dashboards.selectors import Scope, campaign_figures
from events.models import Event, Registration, RegistrationStatusChange
from financing.models import Contract
from reports.models import Job
from reports.services import job_create
from reports.spreadsheets import SHEETS, template_download
from tests.reports.conftest import (
    CONTRACT_HEADER,
    EVENT_HEADER,
    REGISTRATION_HEADER,
    bureau_workbook,
    signed_at,
    workbook,
    zhejiang_event_held,
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
        "registrations": 3,
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
        "活动编号,活动名称,活动类型,主办省份,覆盖园区,开始时间,结束时间,线上参与人数\n"
        f"zj-csv-station,CSV导入测试,对接洽谈,330000,{parties['park'].slug},"
        "2020-12-09,2020-12-09,300\n"
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
    event = zhejiang_event_held()
    enterprise, institution, day = signed_at(event)
    contracts = [
        CONTRACT_HEADER,
        ["ZJ-ROLLUP-1", event.slug, "loan", "1000万", day, enterprise, institution],
    ]

    run_import(national, workbook(contracts=contracts), capture=django_capture_on_commit_callbacks)

    after = dashboard_figures(scope=scope)
    assert after.contracts_signed == before.contracts_signed + 1
    assert after.contract_amount == before.contract_amount + Decimal("10000000.00")
    assert after == campaign_figures(scope=scope)


def test_an_event_code_in_capitals_finds_the_event(
    national, parties, django_capture_on_commit_callbacks
):
    event = zhejiang_event_held()
    enterprise, institution, day = signed_at(event)
    contracts: list[list[object]] = [
        [*CONTRACT_HEADER],
        ["ZJ-CAPS-1", event.slug.upper(), "loan", 1000000, day, enterprise.lower(), institution],
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
    park = parties["park"].slug
    events: list[list[object]] = [[*EVENT_HEADER]]
    registrations: list[list[object]] = [[*REGISTRATION_HEADER]]
    contracts: list[list[object]] = [[*CONTRACT_HEADER]]
    for index, formula in enumerate(typed):
        slug = f"zj-formula-{index}"
        titles = [f"{formula}-活动", f"{formula}-event"]
        day = "2020-12-08"
        events.append([slug, campaign, *titles, "产品发布", "浙江省", day, day, 1, 1, park])
        registrations += [[slug, e1, None, "", None], [slug, None, bank, "", None]]
        contracts.append([f"{formula}-{index}", slug, "loan", 1000000, "2020-12-08", e1, bank])
    job = run_import(
        national,
        workbook(events=events, registrations=registrations, contracts=contracts, as_text=True),
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


# --- one rule everywhere: the import writes through the portal's services


def test_a_contract_dated_after_the_event_is_refused_and_nothing_is_written(
    national, parties, django_capture_on_commit_callbacks
):
    e1, bank = parties["enterprise"].credit_code, parties["institution"].code
    contracts = [
        CONTRACT_HEADER,
        ["ZJ-IMP-0001", "zj-import-station", "贷款合同", "2000万", "2020-12-18", e1, bank],
    ]
    before = counts()

    job = run_import(
        national,
        bureau_workbook(parties, contracts=contracts),
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.FAILED
    assert [(e["sheet"], e["row"], e["column"], e["cell"]) for e in job.errors] == [
        ("contracts", 2, "signed_on", "E2")
    ]
    assert "one of the event's days" in job.errors[0]["message"]
    assert counts() == before


def test_a_contract_between_parties_not_registered_at_the_event_is_refused(
    national, parties, django_capture_on_commit_callbacks
):
    e1, e2 = parties["enterprise"].credit_code, parties["enterprise2"].credit_code
    bank = parties["institution"].code
    registrations = [REGISTRATION_HEADER, ["zj-import-station", e1, None, "", None]]
    contracts = [
        CONTRACT_HEADER,
        # The bank is not registered there.
        ["ZJ-IMP-0001", "zj-import-station", "贷款合同", "2000万", "2020-12-08", e1, bank],
        # Nor is the second enterprise.
        ["ZJ-IMP-0002", "zj-import-station", "intention", 5000000, "2020-12-08", e2, bank],
    ]
    before = counts()

    job = run_import(
        national,
        bureau_workbook(parties, registrations=registrations, contracts=contracts),
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.FAILED
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [
        ("contracts", 2, "institution"),
        ("contracts", 3, "credit_code"),
    ]
    assert counts() == before


def test_an_imported_event_and_its_registrations_have_their_history_by_the_bureau(
    national, parties, django_capture_on_commit_callbacks
):
    job = run_import(national, bureau_workbook(parties), capture=django_capture_on_commit_callbacks)

    assert job.status == Job.Status.DONE, job.errors
    event = Event.objects.get(slug="zj-import-station")
    assert [(h.from_status, h.to_status, h.actor) for h in event.history.order_by("pk")] == [
        ("", Event.Status.DRAFT, national),
        (Event.Status.DRAFT, Event.Status.PUBLISHED, national),
    ]
    checked_in = Registration.objects.get(event=event, enterprise=parties["enterprise"])
    assert [(h.to_status, h.actor) for h in checked_in.history.order_by("pk")] == [
        (Registration.Status.CONFIRMED, national),
        (Registration.Status.CHECKED_IN, national),
    ]
    assert checked_in.checked_in_at is not None


def test_an_event_row_the_event_rules_refuse_names_its_column(
    national, parties, django_capture_on_commit_callbacks
):
    """Setting an event up needs a park, as on its page and in the API."""
    events = [
        EVENT_HEADER,
        ["zj-no-park", "", "没有园区的活动", "", "产品发布", "浙江省", "2020-12-08", "2020-12-08"],
    ]

    job = run_import(national, workbook(events=events), capture=django_capture_on_commit_callbacks)

    assert job.status == Job.Status.FAILED
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "parks")]
    assert not Event.objects.filter(slug="zj-no-park").exists()


def test_cancelling_an_imported_registration_frees_it_through_the_workflow(
    national, parties, django_capture_on_commit_callbacks
):
    run_import(national, bureau_workbook(parties), capture=django_capture_on_commit_callbacks)
    e2 = parties["enterprise2"].credit_code
    registrations = [REGISTRATION_HEADER, ["zj-import-station", e2, None, "已取消", None]]

    job = run_import(
        national,
        workbook(registrations=registrations),
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.DONE, job.errors
    cancelled = Registration.objects.get(
        event__slug="zj-import-station", enterprise=parties["enterprise2"]
    )
    assert cancelled.status == Registration.Status.CANCELLED
    last = cancelled.history.order_by("pk").last()
    assert last is not None
    assert last.actor == national


# --- units and aliases


def test_an_amount_heading_in_wan_yuan_is_read_in_wan_yuan(
    national, parties, django_capture_on_commit_callbacks
):
    e1, bank = parties["enterprise"].credit_code, parties["institution"].code
    header = [
        "合同编号",
        "活动编号",
        "类型",
        "金额（万元）",
        "签约日期",
        "统一社会信用代码",
        "机构代码",
    ]
    contracts = [
        header,
        ["ZJ-IMP-0001", "zj-import-station", "贷款合同", 300, "2020-12-08", e1, bank],
        ["ZJ-IMP-0002", "zj-import-station", "意向协议", "1.5亿", "2020-12-08", e1, bank],
    ]

    job = run_import(
        national,
        bureau_workbook(parties, contracts=contracts),
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.DONE, job.errors
    assert Contract.objects.get(reference="ZJ-IMP-0001").amount == Decimal("3000000.00")
    # A number that says its own unit keeps it.
    assert Contract.objects.get(reference="ZJ-IMP-0002").amount == Decimal("150000000.00")


def test_an_amount_heading_in_an_unknown_unit_refuses_the_file(
    national, parties, django_capture_on_commit_callbacks
):
    e1, bank = parties["enterprise"].credit_code, parties["institution"].code
    header = [*CONTRACT_HEADER[:3], "金额（美元）", *CONTRACT_HEADER[4:]]
    contracts = [header, ["ZJ-USD-1", "zj-import-station", "loan", 300, "2020-12-08", e1, bank]]
    before = counts()

    job = run_import(
        national,
        bureau_workbook(parties, contracts=contracts),
        capture=django_capture_on_commit_callbacks,
    )

    assert job.status == Job.Status.FAILED
    assert "金额（美元）" in job.message and "万元" in job.message
    assert counts() == before


def test_a_matchmaking_event_named_as_the_template_notes_name_it_imports(
    national, parties, django_capture_on_commit_callbacks
):
    events = [
        EVENT_HEADER,
        [
            "zj-matchmaking",
            "",
            "银企对接洽谈会",
            "",
            "对接洽谈、银行推介",
            "浙江省",
            "2020-12-08",
            "2020-12-08",
            None,
            None,
            parties["park"].slug,
        ],
    ]

    job = run_import(national, workbook(events=events), capture=django_capture_on_commit_callbacks)

    assert job.status == Job.Status.DONE, job.errors
    kinds = Event.objects.get(slug="zj-matchmaking").kinds.values_list("code", flat=True)
    assert set(kinds) == {"matchmaking", "bank_promotion"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_spelling_the_template_notes_give_imports(language):
    """The notes list each choice's spellings ("matchmaking / 银企对接 /
    对接洽谈; …"); every one of them reads as its choice."""
    with translation.override(language):
        data, _type, _name = template_download("workbook", "xlsx", chinese=language != "en")
        notes = load_workbook(io.BytesIO(data)).worksheets[-1]
        checked = 0
        for sheet_title, heading, _required, text in notes.iter_rows(min_row=2, values_only=True):
            spec = next(
                (s for s in SHEETS.values() if s.title(chinese=language != "en") == sheet_title),
                None,
            )
            if spec is None:
                continue
            assert isinstance(heading, str) and isinstance(text, str)
            column = spec.column(next(c.field for c in spec.columns if heading.endswith(c.zh)))
            if not isinstance(column, Choice):
                continue
            choices = re.split(r"\.\s|\.$|。", text)[0]
            for written in re.split(r";\s*|；", choices):
                code, *spellings = written.split(" / ")
                for spelling in spellings:
                    read = column.clean(spelling)
                    assert read in (code, [code]), (heading, spelling)
                    checked += 1
        assert checked > 20
        if language != "en":
            kinds = next(
                row for row in notes.iter_rows(values_only=True) if row[1] == "kinds / 活动类型"
            )
            assert isinstance(kinds[3], str)
            assert "对接洽谈" in kinds[3]


def test_the_imports_document_is_written_from_the_declarations():
    from reports.management.commands.import_docs import render

    written = (Path(settings.BASE_DIR) / "docs" / "imports.md").read_text(encoding="utf-8")
    assert written == render(), "run `python manage.py import_docs`"
    assert "| `matchmaking` | Matchmaking, 银企对接, 对接洽谈" in written
