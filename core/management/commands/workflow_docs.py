"""Write docs/workflows.md from the workflow declarations, so the document
says what the code does: `manage.py workflow_docs` (a test fails when the
file is out of date)."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from core.workflow import SYSTEM, WORKFLOWS, Workflow

INTRO = """\
# Status workflows

<!-- Written by `python manage.py workflow_docs` from the declarations in each
app's workflows module; edit those, not this file. -->

Every workflow is declared once through `core.workflow` (README,
"One way to move a status"): its statuses, and per action the statuses it
leaves from, the status it reaches, who may make it, its label and its input.
One helper makes every move: it locks the row, checks who asks (403 for the
wrong party), checks the move (409 `move_not_allowed` when the status does
not allow it), saves, writes a history row (who, when, from, to, note) and
runs mail, tasks and recounts after commit. Pages show each reader the
actions allowed now; the API has one `POST …/<id>/<action>/` per action,
except for the moves only the portal makes (*system*), which have neither a
page nor an endpoint.

An action may declare its own sentences where the workflow's general ones
say too little: its refusal ("Only a published product can be withdrawn;
this one is “Draft”."), what its page says once it is done (the last column
below; "Done: <label>." when it declares none) and what the wrong party
hears (403).

Who may act: *enterprise* and *institution* are the members of the party an
object belongs to; *organiser* is whoever `events/access.py` lets run an
event (national regulators, a provincial regulator within its province, the
manager of a park the event covers; see [permissions.md](permissions.md));
*party* is the enterprise or institution a registration or meeting is for;
*system* is the portal itself (a waiting list's promotion, a worker, a pledge
following its application).

A destructive move (withdrawing, cancelling, voiding) declares what it will
do and to whom (`confirm=`). A page does not make it on the first POST: it
shows those sentences, read for the object at hand, with a button that posts
the same input again with `confirmed=1`, and a way back that changes nothing.
A sentence keyed by a count is left out when the count is zero. The API makes
the move at once: its clients confirm on their side. Each section lists the
sentences under "Asked first".
"""


def _section(workflow: Workflow[Any]) -> str:
    module = inspect.getmodule(workflow.model)
    declared = next(
        (name for name, value in vars(_declaring_module(workflow)).items() if value is workflow),
        workflow.name.upper(),
    )
    app_module = _declaring_module(workflow).__name__
    lines = [
        f"## {workflow.name.replace('_', ' ').capitalize()}",
        "",
        f"`{declared}` in `{app_module.replace('.', '/')}.py`, for "
        f"`{module.__name__ if module else ''}.{workflow.model.__name__}`; history in "
        f"`{workflow.history.__name__}`. Starts as "
        + ", ".join(f"`{s}`" for s in sorted(workflow.initial))
        + ".",
        "",
        "```mermaid",
        "stateDiagram-v2",
    ]
    lines += [f"    [*] --> {status}" for status in sorted(workflow.initial)]
    for action in workflow.actions.values():
        for source in sorted(action.sources):
            lines.append(f"    {source} --> {action.to}: {action.name}")
    lines += [
        "```",
        "",
        "| action | from | to | who | label | done |",
        "|---|---|---|---|---|---|",
    ]
    for action in workflow.actions.values():
        who = ", ".join("system" if side == SYSTEM else side for side in sorted(action.by))
        done = "" if action.system_only else str(action.done or "")
        lines.append(
            f"| `{action.name}` | {', '.join(sorted(action.sources))} | {action.to} "
            f"| {who} | {action.label} | {done} |"
        )
    asked = [act for act in workflow.actions.values() if act.confirm is not None]
    if asked:
        lines += ["", "Asked first:", ""]
        for act in asked:
            assert act.confirm is not None
            said = " ".join(_template(sentence) for sentence in act.confirm.templates)
            lines.append(f"- `{act.name}`: {said}")
    return "\n".join(lines) + "\n"


def _template(sentence: Any) -> str:
    """A sentence as declared: a counted one (ngettext_lazy keyed by name)
    in its plural, which reads "" until it is given its number."""
    return str(sentence) or str(getattr(sentence, "_kw", {}).get("plural", ""))


def _declaring_module(workflow: Workflow[Any]) -> Any:
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").endswith("workflows") and any(
            value is workflow for value in vars(module).values()
        ):
            return module
    raise LookupError(workflow.name)


def render() -> str:
    with translation.override("en"):
        sections = [_section(workflow) for workflow in WORKFLOWS.values()]
    return INTRO + "\n" + "\n".join(sections)


class Command(BaseCommand):
    help = "Write docs/workflows.md from the workflow declarations."

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(settings.BASE_DIR) / "docs" / "workflows.md"
        target.write_text(render(), encoding="utf-8")
        self.stdout.write(f"Wrote {target.relative_to(settings.BASE_DIR)}")
