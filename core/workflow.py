"""One way to move a status (docs/workflows.md).

A workflow is declared once: the model and its status field, the history
model, and per action the statuses it leaves from, the status it reaches, who
may make it, its label in both languages, its input form and the notice it
sends. Every move goes through `Workflow.move()`: lock the row, check who asks,
check the move, let the named service change what its move changes, save those
fields with `update_fields`, write the history row with the actor and run the
side effects after commit. A refused move raises `MoveNotAllowed` (code
`move_not_allowed`, the API's 409) and, its transaction rolled back, changes
nothing.

The named service per move (`application_approve(...)`) stays the public entry
point; it registers itself with `@WORKFLOW.performs("approve")`, so pages and
the API find it by the action's name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.exceptions import Conflict
from core.metrics import STATUS_MOVES

if TYPE_CHECKING:
    from django import forms
    from django.contrib.auth.base_user import AbstractBaseUser as User
    from django.contrib.auth.models import AnonymousUser

    from core.models import StatusChange

M = TypeVar("M", bound=models.Model)
Service = TypeVar("Service", bound=Callable[..., Any])

# The portal itself: a waiting list's promotion, a worker, a move that
# follows another workflow's move. Only a move without an actor acts as it.
SYSTEM = "system"

MOVE_NOT_ALLOWED = "move_not_allowed"
REFUSAL = _("“%(action)s” is not possible while the status is “%(status)s”.")
NOT_YOUR_SIDE = _("You may not do this.")


class MoveNotAllowed(Conflict):
    """A move the current status does not allow: one code for every workflow."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=MOVE_NOT_ALLOWED)


@dataclass(frozen=True)
class Confirm:
    """What a destructive move will do, and to whom: its sentences, read with
    the action's label, the workflow's `params` and the object's own counts
    (`params`). A sentence given as `(name, sentence)` is said only when that
    parameter is not zero or empty ("12 registrants will be told" is left out
    when no one registered)."""

    sentences: tuple[Promise | tuple[str, Promise], ...]
    params: Callable[[Any], dict[str, Any]] | None = None

    def said(self, params: dict[str, Any]) -> list[str]:
        lines = []
        for sentence in self.sentences:
            if isinstance(sentence, tuple):
                when, sentence = sentence
                if not params.get(when):
                    continue
            lines.append(str(sentence % params))
        return lines

    @property
    def templates(self) -> list[Promise]:
        return [s[1] if isinstance(s, tuple) else s for s in self.sentences]


def confirm(
    *sentences: Promise | tuple[str, Promise], params: Callable[[Any], dict[str, Any]] | None = None
) -> Confirm:
    return Confirm(sentences=sentences, params=params)


@dataclass(frozen=True)
class Action:
    """One move of a workflow."""

    to: str
    sources: frozenset[str]
    by: frozenset[str]
    label: Promise
    form: type[forms.Form] | None = None
    notice: tuple[Promise, Promise] | None = None
    # Its own sentences, where the workflow's general ones say too little:
    # the refusal (%(action)s, %(status)s and the workflow's `params`), what a
    # page says once it is done (the `params`), and what the wrong party hears.
    refusal: Promise | None = None
    done: Promise | None = None
    not_your_side: Promise | None = None
    # What a page asks before it makes a destructive move: what will happen,
    # and to whom (the API's clients confirm on their side).
    confirm: Confirm | None = None
    name: str = ""  # the key it is declared under

    @property
    def system_only(self) -> bool:
        """Only the portal makes it: no page or endpoint offers it."""
        return self.by == {SYSTEM}


def action(
    to: str,
    *,
    sources: Iterable[str],
    by: str | Iterable[str],
    label: Promise,
    form: type[forms.Form] | None = None,
    notice: tuple[Promise, Promise] | None = None,
    refusal: Promise | None = None,
    done: Promise | None = None,
    not_your_side: Promise | None = None,
    confirm: Confirm | None = None,
) -> Action:
    by_set = frozenset({by}) if isinstance(by, str) else frozenset(by)
    return Action(
        to=to,
        sources=frozenset(sources),
        by=by_set,
        label=label,
        form=form,
        notice=notice,
        refusal=refusal,
        done=done,
        not_your_side=not_your_side,
        confirm=confirm,
    )


@dataclass
class Change(Generic[M]):
    """The row under its lock while a service makes its move: the fields it
    changed, the parameters of its notice, what runs after commit."""

    obj: M
    action: Action
    from_status: str
    actor: User | None
    fields: set[str] = field(default_factory=set)
    params: dict[str, Any] = field(default_factory=dict)
    after: list[Callable[[], None]] = field(default_factory=list)

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self.obj, name, value)
            self.fields.add(name)

    def on_commit(self, effect: Callable[[], None]) -> None:
        """Run once the move is committed (mail, tasks, recounts)."""
        self.after.append(effect)


def _user(actor: User | None) -> Any:
    """The actor as the history row's user: the project's user model, which
    core names only through settings.AUTH_USER_MODEL."""
    return actor


Sides = Callable[[Any, "User | AnonymousUser"], set[str]]
# What an action's sentences may say of the object ("%(title)s").
Params = Callable[[Any], dict[str, Any]]
DONE = _("Done: %(action)s.")

# Every declared workflow, by name: the tests walk them all.
WORKFLOWS: dict[str, Workflow[Any]] = {}


class Workflow(Generic[M]):
    """A model's statuses, the moves between them and the one helper that makes them."""

    def __init__(
        self,
        *,
        name: str,
        model: type[M],
        history: type[StatusChange],
        subject: str,
        initial: Iterable[str],
        actions: dict[str, Action],
        sides: Sides | None = None,
        refusal: Promise = REFUSAL,
        not_your_side: Promise | dict[str, Promise] = NOT_YOUR_SIDE,
        params: Params | None = None,
        lock_related: tuple[str, ...] = (),
        field_name: str = "status",
        services_module: str | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self.history = history
        self.subject = subject
        self.initial = frozenset(initial)
        self.actions = {key: dataclasses.replace(value, name=key) for key, value in actions.items()}
        self.sides = sides
        self.refusal = refusal
        self.not_your_side = not_your_side
        self.params = params
        self.lock_related = lock_related
        self.field_name = field_name
        # Where the named services live, imported on the first look-up.
        self.services_module = services_module or f"{model._meta.app_label}.services"
        self._services: dict[str, Callable[..., Any]] = {}
        WORKFLOWS[name] = self

    def __repr__(self) -> str:
        return f"<Workflow {self.name}>"

    # --- the declaration, read

    @property
    def choices(self) -> dict[str, str]:
        field = self.model._meta.get_field(self.field_name)
        return {str(value): str(label) for value, label in getattr(field, "choices", None) or ()}

    @property
    def statuses(self) -> list[str]:
        return list(self.choices)

    def moves(self) -> dict[str, frozenset[str]]:
        """Which status may follow which, derived from the actions."""
        table: dict[str, set[str]] = {status: set() for status in self.statuses}
        for act in self.actions.values():
            for source in act.sources:
                table[source].add(act.to)
        return {status: frozenset(targets) for status, targets in table.items()}

    def status_of(self, obj: M) -> str:
        return str(getattr(obj, self.field_name))

    def label_of(self, status: str) -> str:
        return self.choices.get(status, status)

    def user_actions(self) -> dict[str, Action]:
        """The actions people make, from a page or an endpoint."""
        return {name: act for name, act in self.actions.items() if not act.system_only}

    def can(self, status: str, name: str) -> bool:
        return status in self.actions[name].sources

    def sides_of(self, obj: M, user: User | AnonymousUser | None) -> set[str]:
        if user is None:
            return {SYSTEM}
        if self.sides is None or not user.is_authenticated:
            return set()
        return self.sides(obj, user)

    def allowed(
        self, obj: M, user: User | AnonymousUser, *, sides: set[str] | None = None
    ) -> list[str]:
        """The actions the user may take on the object now, in declaration order."""
        sides = self.sides_of(obj, user) if sides is None else sides
        status = self.status_of(obj)
        return [
            name for name, act in self.actions.items() if act.by & sides and status in act.sources
        ]

    def check_side(self, obj: M, user: User | AnonymousUser | None, name: str) -> None:
        """PermissionDenied unless the user acts for a side that makes this
        move. Pages and the API call it first, so the wrong party hears 403
        before any of its input is looked at."""
        act = self.actions[name]
        if act.by & self.sides_of(obj, user):
            return
        if act.not_your_side is not None:
            raise PermissionDenied(act.not_your_side)
        messages = self.not_your_side
        if isinstance(messages, dict):
            raise PermissionDenied(
                next((messages[side] for side in sorted(act.by) if side in messages), "")
            )
        raise PermissionDenied(messages)

    def _params(self, obj: M, name: str) -> dict[str, Any]:
        return {"action": self.actions[name].label, **(self.params(obj) if self.params else {})}

    def refused(self, obj: M, name: str) -> MoveNotAllowed:
        """The refusal of a move the object's status does not allow: the
        action's own sentence, else the workflow's."""
        sentence = self.actions[name].refusal or self.refusal
        status = self.label_of(self.status_of(obj))
        return MoveNotAllowed(sentence % {**self._params(obj, name), "status": status})

    def done_message(self, obj: M, name: str) -> str:
        """What a page says once the move is made: the action's own sentence,
        else "Done: <action>."."""
        return str(self.actions[name].done or DONE) % self._params(obj, name)

    def consequences(self, obj: M, name: str) -> list[str]:
        """What a page says a destructive move will do, and to whom, before
        it is confirmed; empty for an action that asks for no confirmation."""
        asked = self.actions[name].confirm
        if asked is None:
            return []
        params = {**self._params(obj, name), **(asked.params(obj) if asked.params else {})}
        return asked.said(params)

    # --- the named services

    def performs(self, name: str) -> Callable[[Service], Service]:
        """Mark a service as the entry point of an action; its signature stays its own."""
        if name not in self.actions:
            raise LookupError(f"{self.name} has no action {name!r}")

        def register(service: Service) -> Service:
            self._services[name] = service
            return service

        return register

    def service(self, name: str) -> Callable[..., Any]:
        return self.services[name]

    @property
    def services(self) -> dict[str, Callable[..., Any]]:
        if not self._services:
            import_module(self.services_module)
        return dict(self._services)

    # --- writes

    def created(self, obj: M, *, actor: User | None, note: str = "") -> None:
        """The first history row of a new object, in one of the initial statuses."""
        status = self.status_of(obj)
        if status not in self.initial:
            raise ValueError(f"{self.name} cannot start in {status!r}")
        self.history._default_manager.create(
            **{self.subject: obj}, from_status="", to_status=status, actor=_user(actor), note=note
        )

    @contextmanager
    def move(
        self,
        obj: M,
        *,
        action: str,
        actor: User | None,
        note: str = "",
        check_side: bool = True,
    ) -> Iterator[Change[M]]:
        """The steps every move shares. The service's own checks and changes
        run inside the `with` block, on the locked row; an exception there
        leaves everything as it was. `check_side=False` is for a move another
        workflow's service has already authorised (a pledge that follows its
        application)."""
        act = self.actions[action]
        with transaction.atomic():
            locked = (
                self.model._default_manager.select_for_update(of=("self",))
                .select_related(*self.lock_related)
                .get(pk=obj.pk)
            )
            if check_side:
                self.check_side(locked, actor, action)
            from_status = self.status_of(locked)
            if from_status not in act.sources:
                raise self.refused(locked, action)
            change = Change(obj=locked, action=act, from_status=from_status, actor=actor)
            yield change
            change.set(**{self.field_name: act.to})
            if any(f.name == "updated_at" for f in self.model._meta.concrete_fields):
                change.fields.add("updated_at")
            locked.save(update_fields=sorted(change.fields))
            self.history._default_manager.create(
                **{self.subject: locked},
                from_status=from_status,
                to_status=act.to,
                actor=_user(actor),
                note=note,
            )
            to_status = act.to
            transaction.on_commit(
                lambda: STATUS_MOVES.labels(workflow=self.name, to_status=to_status).inc()
            )
            for effect in change.after:
                transaction.on_commit(effect, robust=True)
