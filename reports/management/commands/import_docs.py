"""Write docs/imports.md from the import declarations, so the document says
what the importers read: `manage.py import_docs` (a test fails when the file
is out of date)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from core.spreadsheets import AMOUNT_UNITS, Amount, Choice, ChoiceList, SheetSpec
from enterprises.imports import ASSETS
from reports.spreadsheets import SHEETS

INTRO = """\
# Spreadsheet imports

<!-- Written by `python manage.py import_docs` from the sheets each importer
declares (`reports/spreadsheets.py`, `enterprises/imports.py`); edit those,
not this file. -->

Two importers read spreadsheets: a provincial bureau's report of its events,
registrations and contracts (`/reports/imports/`, `POST /api/v1/reports/imports/`,
regulators only) and an enterprise's IP portfolio (`/enterprise/assets/import/`).
Both read through `core/spreadsheets/`: an Excel workbook (.xlsx) or a CSV
file (UTF-8, GBK or UTF-16, commas or tabs), a header row naming the columns
in English or Chinese (case, spaces, `*` and bracketed text do not matter for
which column a heading names), every cell read as its column declares, and a
problem per bad cell named by sheet, row, column and cell. The templates
(`/reports/imports/template/…`) and their notes sheet are written from the
same declarations.

Each template sheet holds the header row and one example row (grey, with a
comment; the *example* column below). The importer recognises the example
row by its values and skips it while it is left as it is: a template
imported untouched imports nothing and says so; typed over, the row is a
row like any other. A sheet is named in the reader's language (`活动`,
`报名`, `签约`, `知识产权`; `Events`, `Registrations`, `Contracts`,
`IP assets`), as the import page and the import result name it; the
workbook may also use the fixed code (`events`, …). A bureau's workbook
templates also hold the sheets `机构代码` / `Institution codes` (code,
name) and `园区代码` / `Park codes` (code, name, province), listing the
portal's institutions and parks as the import page's *Codes* table does.

A bureau's rows are written through the services the pages and the API use,
with the importing regulator as the actor, so the same rules hold: an event
needs a kind and a park and is published once set up; a registration is
reported by an organiser of the event and moved by the registration
workflow; a contract is an on-site signing, dated on one of the event's days,
between an enterprise and an institution registered there. One bad row
refuses the whole file and writes nothing; the same file twice changes
nothing the second time (rows are matched by event code, party and contract
number).

## Amounts and their units

An amount column reads a bare number in the unit its heading names in
brackets, and yuan when the heading names none: `金额（万元）` with `300` is
¥3,000,000. A heading naming any other unit (`金额（美元）`) refuses the file.
A cell that writes its own unit keeps it (`200万`, `1.5亿`, `500元`, `¥3,000`).

| unit in the heading | one of it in yuan |
|---|---|
"""


def _column_rows(sheet: SheetSpec) -> list[str]:
    rows = ["| column | heading (zh) | other headings | required | what to write | example |"]
    rows.append("|---|---|---|---|---|---|")
    for column in sheet.columns:
        others = ", ".join(f"`{h}`" for h in column.headings)
        what = column.describe()
        if isinstance(column, Choice):
            what = f"{column.help} The values are listed below.".strip()
        elif isinstance(column, Amount):
            what = f"{what.split('. A bare number')[0].rstrip('.')}; see *Amounts*."
        rows.append(
            f"| `{column.en}` | {column.zh} | {others} | {'yes' if column.required else ''} "
            f"| {what.replace('|', '/')} | {column.example_text()} |"
        )
    return rows


def _choices(sheet: SheetSpec) -> list[str]:
    lines: list[str] = []
    for column in sheet.columns:
        if not isinstance(column, Choice):
            continue
        how_many = "one or more" if isinstance(column, ChoiceList) else "one"
        lines += ["", f"`{column.en}` takes {how_many} of these, in any of its spellings:", ""]
        lines += ["| value | spellings that import |", "|---|---|"]
        for code, names in column.spellings().items():
            lines.append(f"| `{code}` | {', '.join(names[1:])} |")
    return lines


def render() -> str:
    with translation.override("en"):
        parts = [INTRO.rstrip("\n")]
        parts += [f"| {unit} | {value:,} |" for unit, value in AMOUNT_UNITS.items()]
        for sheet, where in [
            *((s, "a bureau's report") for s in SHEETS.values()),
            (ASSETS, "an enterprise's IP portfolio"),
        ]:
            parts += [
                "",
                f"## {sheet.title(chinese=False)}: `{sheet.zh}` / `{sheet.name}` ({where})",
                "",
                *_column_rows(sheet),
                *_choices(sheet),
            ]
    return "\n".join(parts) + "\n"


class Command(BaseCommand):
    help = "Write docs/imports.md from the import declarations."

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(settings.BASE_DIR) / "docs" / "imports.md"
        target.write_text(render(), encoding="utf-8")
        self.stdout.write(f"Wrote {target.relative_to(settings.BASE_DIR)}")
