"""Every status workflow is declared once and moved only by its helper
(docs/workflows.md): the declarations are complete, and no app code assigns a
status anywhere else."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from rest_framework import serializers

from core.workflow import SYSTEM, WORKFLOWS, Workflow

ROOT = Path(settings.BASE_DIR)

# Models with a status field whose workflow is still written by hand, each
# with the module that still assigns it. Emptied as they move onto the helper.
NOT_YET_DECLARED: set[str] = set()
NOT_YET_MOVED_BY_THE_HELPER = {
    "demo",
}


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _status_models() -> set[str]:
    return {
        _label(model)
        for app in settings.PORTAL_APPS
        for model in apps.get_app_config(app.rsplit(".", 1)[-1]).get_models()
        if any(f.name == "status" and f.choices for f in model._meta.concrete_fields)
    }


def test_every_model_with_a_status_has_a_declared_workflow():
    declared = {_label(workflow.model) for workflow in WORKFLOWS.values()}
    assert _status_models() - NOT_YET_DECLARED == declared
    assert not declared & NOT_YET_DECLARED, "declared now: take it off the list"


@pytest.mark.parametrize("workflow", list(WORKFLOWS.values()), ids=str)
def test_a_declaration_is_complete(workflow: Workflow[models.Model]):
    statuses = set(workflow.statuses)
    assert workflow.initial <= statuses
    reached = set(workflow.initial)
    for action in workflow.actions.values():
        assert action.to in statuses, action.name
        assert action.sources <= statuses, action.name
        assert action.by, f"{action.name}: nobody may make it"
        assert str(action.label), action.name
        reached.add(action.to)
    assert reached == statuses, "a status no move reaches"
    # Every action has its named service, taking the object and the actor.
    assert set(workflow.services) == set(workflow.actions)
    for name, service in workflow.services.items():
        parameters = inspect.signature(service).parameters
        assert {workflow.subject, "actor"} <= set(parameters), name
    # A move the portal makes itself has no form to fill in.
    for action in workflow.actions.values():
        if action.by == {SYSTEM}:
            assert action.form is None, action.name


def _assigns_a_status(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        lines += [
            target.lineno
            for target in targets
            if isinstance(target, ast.Attribute) and target.attr == "status"
        ]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method in {"update", "bulk_update"} and any(
                keyword.arg == "status" for keyword in node.keywords
            ):
                lines.append(node.lineno)
            if method == "bulk_update" and "status" in ast.unparse(node):
                lines.append(node.lineno)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "setattr"
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == "status"
        ):
            lines.append(node.lineno)
    return sorted(set(lines))


def _app_sources() -> list[Path]:
    return [
        path
        for app in settings.PORTAL_APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    ]


def test_no_status_is_assigned_outside_the_workflow_helper():
    offenders = {}
    for path in _app_sources():
        relative = path.relative_to(ROOT).as_posix()
        if relative == "core/workflow.py" or any(
            relative == allowed or relative.startswith(allowed + "/")
            for allowed in NOT_YET_MOVED_BY_THE_HELPER
        ):
            continue
        if lines := _assigns_a_status(ast.parse(path.read_text(), relative)):
            offenders[relative] = lines
    assert offenders == {}


def test_the_check_finds_an_assignment_it_must_refuse():
    source = (
        "application.status = 'approved'\n"
        "Pledge.objects.filter(pk=1).update(status='active')\n"
        "setattr(job, 'status', 'done')\n"
    )
    assert _assigns_a_status(ast.parse(source)) == [1, 2, 3]


def test_the_workflows_document_says_what_the_declarations_say():
    from core.management.commands.workflow_docs import render

    written = (ROOT / "docs" / "workflows.md").read_text(encoding="utf-8")
    assert written == render(), "run `python manage.py workflow_docs`"


# --- what the helper offers every workflow


@pytest.mark.parametrize("workflow", list(WORKFLOWS.values()), ids=str)
def test_a_workflow_says_everything_in_its_declaration(workflow: Workflow[models.Model]):
    """Refusals, success messages and who may act are declared per action:
    no app needs a subclass of the helper for its sentences."""
    assert type(workflow) is Workflow


@pytest.mark.parametrize("workflow", list(WORKFLOWS.values()), ids=str)
def test_the_portals_own_moves_have_no_endpoint(workflow: Workflow[models.Model]):
    from rest_framework.response import Response

    from core.api import move_endpoints

    patterns = move_endpoints(
        workflow,
        route="things/<int:pk>/",
        name="thing",
        fetch=lambda request, pk: None,
        respond=lambda request, obj: Response(),
        response=serializers.Serializer,
    )
    offered = {str(p.name).removeprefix("thing-") for p in patterns}
    people = {name for name, act in workflow.actions.items() if act.by != {SYSTEM}}
    assert offered == people


def test_a_page_cannot_make_a_move_only_the_portal_makes(rf, admin_user):
    from django.http import Http404

    from core.forms import page_move
    from events.workflows import REGISTRATION

    request = rf.post("/", {})
    request.user = admin_user
    with pytest.raises(Http404):
        page_move(request, workflow=REGISTRATION, obj=None, name="promote")


def test_a_product_refusal_names_the_statuses_the_move_leaves_from():
    from products.models import Product
    from products.workflows import PRODUCT

    product = Product(status=Product.Status.PUBLISHED)
    assert str(PRODUCT.refused(product, "publish")) == (
        "Only a draft or a withdrawn product can be published; this one is “Published”."
    )
