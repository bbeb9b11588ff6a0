"""System checks of the figures' registry (dashboards/figures.py), run by
`manage.py check` and at every start: a figure the rollups could not keep,
or the pages could not find, is refused before anyone reads a wrong number."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register

from dashboards import figures as registry
from dashboards.figures import Figure, How, Source
from dashboards.models import Cell, EventParty, EventShare


def _columns(model: Any) -> set[str]:
    return {field.name for field in model._meta.concrete_fields}


def figure_errors(figures: Iterable[Figure], sources: Mapping[str, Source]) -> list[CheckMessage]:
    figures = list(figures)
    errors: list[CheckMessage] = []

    def error(figure: Figure, msg: str, hint: str, code: str) -> None:
        errors.append(Error(msg, hint=hint, obj=f"figure {figure.name}", id=f"dashboards.{code}"))

    names = Counter(figure.name for figure in figures)
    for name, times in names.items():
        if times > 1:
            errors.append(
                Error(
                    f"The figure {name} is declared {times} times.",
                    hint="Give each figure a name of its own: it is its key in the API.",
                    obj=f"figure {name}",
                    id="dashboards.E002",
                )
            )
    stored = {f.name for f in figures if f.how is not How.TOTAL}
    roles = Counter(f.role for f in figures if f.how is How.DISTINCT)
    cell, share = _columns(Cell), _columns(EventShare)
    for figure in figures:
        source = sources.get(figure.source)
        if source is None:
            error(
                figure,
                f"The figure {figure.name} counts from {figure.source!r}, which is no source.",
                f"Declare the source in SOURCES or use one of: {', '.join(sources)}.",
                "E001",
            )
        if figure.how is How.ADDITIVE:
            if figure.field not in cell or figure.field not in share:
                error(
                    figure,
                    f"The additive figure {figure.name} has no column {figure.field!r} "
                    "to keep it in the rollups.",
                    "Add the column to dashboards.models.Counters and make the migration.",
                    "E003",
                )
            if figure.count is None:
                error(
                    figure,
                    f"The additive figure {figure.name} declares no count.",
                    "Give it count=, an aggregate of its source's rows.",
                    "E004",
                )
            if source is not None and len(source.row_sets) > 1:
                error(
                    figure,
                    f"The additive figure {figure.name} counts from {source.name}, "
                    "whose rows come from several row sets.",
                    "Only distinct figures count the union of several row sets.",
                    "E004",
                )
        elif figure.how is How.DISTINCT:
            if figure.field not in cell:
                error(
                    figure,
                    f"The distinct figure {figure.name} has no column {figure.field!r} "
                    "on the rollup cells.",
                    "Add the column to dashboards.models.Cell and make the migration.",
                    "E003",
                )
            if not figure.party or figure.role not in EventParty.Role.values:
                error(
                    figure,
                    f"The distinct figure {figure.name} names no party or no role.",
                    "Give it party= (a field of its source's rows) and role= "
                    "(a choice of EventParty.Role).",
                    "E004",
                )
            elif roles[figure.role] > 1:
                error(
                    figure,
                    f"The distinct figure {figure.name} shares its role with another.",
                    "Each distinct figure keeps its parties under a role of its own.",
                    "E004",
                )
        else:
            unknown = [name for name in figure.sum_of if name not in stored]
            if not figure.sum_of or unknown:
                error(
                    figure,
                    f"The total {figure.name} adds up {', '.join(unknown) or 'nothing'}.",
                    "A total adds up additive or distinct figures declared in FIGURES.",
                    "E005",
                )
        wrong = figure.shown - set(registry.PLACES)
        if wrong:
            error(
                figure,
                f"The figure {figure.name} is shown in {', '.join(sorted(wrong))}, "
                "which is no place.",
                f"Choose among {', '.join(registry.PLACES)}.",
                "E006",
            )
    return errors


@register(Tags.models)
def check_figures(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return figure_errors(registry.FIGURES, registry.SOURCES)
