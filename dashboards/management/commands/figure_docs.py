"""Write the table of figures in docs/figures.md from the registry
(dashboards/figures.py), between its marker comments: `manage.py figure_docs`
(a test fails when the file is out of date)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dashboards import figures as registry

DOC = Path("docs") / "figures.md"
BEGIN = (
    "<!-- The table of figures is written by `python manage.py figure_docs` from "
    "dashboards/figures.py; edit the registry, not the table. -->"
)
END = "<!-- End of the table of figures. -->"
PLACES = {
    registry.CARD: "cards",
    registry.LIST: "list",
    registry.OF_EVENT_REPORT: "event",
    registry.COLUMN: "breakdowns",
    registry.FUNNEL_STAGE: "funnel",
}


def table() -> str:
    """The table of figures, in both languages."""
    with translation.override("zh-hans"):
        chinese = {figure.name: str(figure.label) for figure in registry.FIGURES}
    rows = [
        "| key | 中文 | English | how it is counted | what it counts | shown in |",
        "|---|---|---|---|---|---|",
    ]
    with translation.override("en"):
        for figure in registry.FIGURES:
            shown = ", ".join(name for place, name in PLACES.items() if place in figure.shown)
            rows.append(
                f"| `{figure.name}` | {chinese[figure.name]} | {figure.label} "
                f"| {figure.how_counted()} | {figure.help} | {shown} |"
            )
    return "\n".join(rows)


def render(text: str) -> str:
    """The document with its table of figures written anew."""
    if BEGIN not in text or END not in text:
        raise CommandError(f"{DOC} has lost its marker comments around the table of figures.")
    head, rest = text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n\n{table()}\n\n{END}{tail}"


class Command(BaseCommand):
    help = "Write the table of figures in docs/figures.md from dashboards/figures.py."

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(settings.BASE_DIR) / DOC
        target.write_text(render(target.read_text(encoding="utf-8")), encoding="utf-8")
        self.stdout.write(f"Wrote the table of figures in {DOC}")
