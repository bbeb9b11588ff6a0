"""Importing what provincial bureaus report: events, registrations, contracts.

Every row is checked first, against the portal's rows and the rest of the
file; when any row is bad nothing is written and every problem is named by
sheet, row and column. Then all rows are written in one transaction.

Rows are matched by natural keys, so importing the same file twice changes
nothing the second time:

- events by their code (`slug`);
- registrations by event code + the enterprise's unified social credit code
  (or the institution's code): the party's open registration, else its last
  cancelled one;
- contracts by contract number (`reference`).

Empty cells leave what the portal has alone. A provincial regulator may only
import rows of events hosted in its provinces.

Every row is written through the services the pages and the API use, under
their rules, with the importing regulator as the actor: an event is created
(`event_create`, with the file's code) and published, or updated; a
registration is reported by the organiser (`registration_create(reported=True)`)
and moved by the registration workflow's own services; a contract is recorded
or corrected as an on-site signing (`contract_record_onsite`,
`contract_correct_onsite`): dated on one of the event's days, between an
enterprise and an institution registered there. What a service refuses is a
problem of the row, named by sheet, row and column.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import Jurisdiction
from core.exceptions import Conflict
from core.models import Province
from core.spreadsheets import Problem, Row, Table, text_key
from enterprises.models import Enterprise
from events.meeting_selectors import active_registration
from events.models import Campaign, Event, EventKind, Registration
from events.services import (
    event_create,
    event_publish,
    event_report_participants,
    event_update,
    registration_create,
    registration_report_need,
)
from events.workflows import REGISTRATION
from financing.models import Contract
from financing.services import contract_correct_onsite, contract_record_onsite
from parks.models import Park
from products.models import Institution, Product
from reports.spreadsheets import ImportRejected

Progress = Callable[[int, str], None]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class Planned:
    """A row that passed the checks: what to write, and where it came from."""

    table: Table
    row: int
    values: dict[str, Any] = field(default_factory=dict)


# An event's lists of rows, and the counts reported after it.
RELATIONS = ("kinds", "parks", "participating_provinces", "featured_products")
PARTICIPANTS = ("participants_online", "participants_offline")
NEED = ("need_amount", "need_term_months")
# The column a service's field is read from, where their names differ.
COLUMN_OF = {
    "featured_products": "products",
    "registration": "credit_code",
    "enterprise": "credit_code",
}


def _changed(obj: Any, values: dict[str, Any]) -> list[str]:
    """The fields whose value differs. Related rows are compared by key, so
    that comparing loads nothing."""
    changed = []
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            have = getattr(obj, field.attname)
            value = value.pk if value is not None else None
        else:
            have = getattr(obj, name)
        if have != value:
            changed.append(name)
    return changed


# --------------------------------------------------------------------------- the importer


class Importer:
    """Checks every row of the tables, then writes them all or none."""

    def __init__(
        self,
        *,
        tables: list[Table],
        actor: User,
        jurisdiction: Jurisdiction,
        source: str = "",
        progress: Progress | None = None,
    ) -> None:
        self.tables = tables
        self.actor = actor
        self.jurisdiction = jurisdiction
        self.source = source
        self.progress = progress or (lambda percent, message: None)
        self.problems: list[Problem] = []
        self.planned: dict[str, list[Planned]] = {t.sheet.name: [] for t in tables}
        self.total = sum(len(t.rows) for t in tables)
        self._done = 0

    # ----------------------------------------------------------------- look-ups

    def _load(self) -> None:
        """Every row the file refers to, in a handful of queries."""
        mentioned: dict[str, set[str]] = {
            "event": set(),
            "credit_code": set(),
            "institution": set(),
            "product": set(),
            "park": set(),
            "reference": set(),
        }
        for table in self.tables:
            for row in table.rows:
                given = row.values
                for name in ("institution", "product", "reference", "credit_code"):
                    if name in given:
                        mentioned[name].add(given[name])
                for name in ("event", "slug"):
                    if name in given:
                        mentioned["event"].add(given[name])
                mentioned["product"].update(given.get("products", ()))
                mentioned["park"].update(given.get("parks", ()))

        self.provinces: dict[str, Province] = {}
        for province in Province.objects.all():
            for alias in (province.code, province.name_zh, province.name_en, province.short_zh):
                if alias:
                    self.provinces[text_key(alias)] = province
            # "浙江" as well as "浙江省".
            self.provinces.setdefault(
                text_key(re.sub("(省|市|自治区|特别行政区)$", "", province.name_zh)), province
            )
        self.kinds: dict[str, EventKind] = {}
        for kind in EventKind.objects.all():
            for alias in (kind.code, kind.name_zh, kind.name_en, kind.get_code_display()):
                self.kinds[text_key(str(alias))] = kind
        self.campaigns = {c.slug: c for c in Campaign.objects.all()}
        self.events = {e.slug: e for e in Event.objects.filter(slug__in=mentioned["event"])}
        # Parks by code or Chinese name, compared as `text_key` does: a cell
        # read NFKC-normalised has ASCII brackets where the name has （）.
        self.parks: dict[str, Park] = {}
        if mentioned["park"]:
            for park in Park.objects.only("pk", "slug", "name_zh", "province_id"):
                self.parks[text_key(park.slug)] = park
                self.parks[text_key(park.name_zh)] = park
        self.products = {p.code: p for p in Product.objects.filter(code__in=mentioned["product"])}
        self.enterprises = {
            e.credit_code: e
            for e in Enterprise.objects.filter(credit_code__in=mentioned["credit_code"])
        }
        self.institutions = {
            i.code: i for i in Institution.objects.filter(code__in=mentioned["institution"])
        }
        self.contracts = {
            c.reference: c for c in Contract.objects.filter(reference__in=mentioned["reference"])
        }
        # Events this file defines: registrations and contracts may name them.
        self.file_events: dict[str, str | None] = {}

    def _province(self, name: str) -> Province | None:
        return self.provinces.get(text_key(name))

    # ----------------------------------------------------------------- checks

    def _step(self) -> None:
        self._done += 1
        if self._done % 100 == 0 or self._done == self.total:
            self.progress(
                10 + int(50 * self._done / max(self.total, 1)),
                _("Checked %(done)d of %(total)d rows.")
                % {"done": self._done, "total": self.total},
            )

    def _covers(self, province_code: str | None) -> bool:
        return province_code is not None and self.jurisdiction.covers(province_code)

    def _event_province(self, slug: str) -> tuple[bool, str | None]:
        """Whether the event exists (in the portal or this file) and its host province."""
        if slug in self.file_events:
            return True, self.file_events[slug]
        event = self.events.get(slug)
        if event is None:
            return False, None
        return True, event.host_province_id

    def check(self) -> None:
        """Every row: what its cells could not say (read as the sheets declare
        them), then what the portal's rows and the rest of the file say."""
        self._load()
        self.progress(10, _("Checking the rows…"))
        checks = {
            "events": self._check_event,
            "registrations": self._check_registration,
            "contracts": self._check_contract,
        }
        for table in self.tables:
            seen: dict[Any, int] = {}
            for row in table.rows:
                problems_before = len(self.problems)
                self.problems.extend(row.problems)
                planned = Planned(table=table, row=row.number)
                key = checks[table.sheet.name](table, row, planned.values)
                if key is not None and key in seen:
                    self.problems.append(
                        table.problem(
                            row.number,
                            table.sheet.columns[0].field,
                            _("The same as row %(row)d: give each row once.") % {"row": seen[key]},
                        )
                    )
                elif key is not None:
                    seen[key] = row.number
                if len(self.problems) == problems_before:
                    self.planned[table.sheet.name].append(planned)
                self._step()

    def _fail(self, table: Table, row: Row, name: str, message: str) -> None:
        self.problems.append(table.problem(row.number, name, message))

    def _find(
        self,
        table: Table,
        row: Row,
        name: str,
        value: str,
        find: Callable[[str], Any],
        unknown: str,
    ) -> Any:
        """What a cell's value names on the portal; None, and a problem, when
        it names nothing (`unknown` says the value as %(value)s or %(code)s)."""
        match = find(value)
        if match is None:
            self._fail(table, row, name, unknown % {"value": value, "code": value})
        return match

    def _find_all(
        self, table: Table, row: Row, name: str, find: Callable[[str], Any], unknown: str
    ) -> list[Any]:
        """What each value of a list cell names (see `_find`)."""
        found = [self._find(table, row, name, part, find, unknown) for part in row.values[name]]
        return [match for match in found if match is not None]

    def _check_event(self, table: Table, row: Row, values: dict[str, Any]) -> Any:
        given = row.values
        slug = values["slug"] = given.get("slug", "")
        province = None
        if "host_province" in given:
            province = self._find(
                table,
                row,
                "host_province",
                given["host_province"],
                self._province,
                _("“%(value)s” is not a province."),
            )
            if province is not None and not self._covers(province.pk):
                self._fail(
                    table,
                    row,
                    "host_province",
                    _("You may only import events hosted in your own province."),
                )
            values["host_province"] = province
        existing = self.events.get(slug)
        if existing is not None and not self._covers(existing.host_province_id):
            self._fail(
                table,
                row,
                "slug",
                _("This event is hosted in another province; you may not change it."),
            )
        if slug:
            self.file_events[slug] = province.pk if province else None
        if "campaign" in given:
            values["campaign"] = self._find(
                table,
                row,
                "campaign",
                given["campaign"],
                self.campaigns.get,
                _("No campaign has the code “%(value)s”."),
            )
        values.update(
            (name, given[name])
            for name in (
                "title_zh",
                "title_en",
                "city_zh",
                "venue",
                "starts_at",
                "ends_at",
                "format",
                "participants_online",
                "participants_offline",
            )
            if name in given
        )
        if "starts_at" in given and "ends_at" in given and given["ends_at"] < given["starts_at"]:
            self._fail(table, row, "ends_at", _("The event ends before it starts."))
        # List cells: each value names a row; the event keeps their keys.
        named: dict[str, tuple[str, Callable[[str], Model | None], str]] = {
            "kinds": (
                "kinds",
                lambda part: self.kinds.get(text_key(part)),
                _("“%(value)s” is not a kind of event."),
            ),
            "parks": (
                "parks",
                lambda part: self.parks.get(text_key(part)),
                _("No park is called “%(value)s”."),
            ),
            "participating_provinces": (
                "participating_provinces",
                self._province,
                _("“%(value)s” is not a province."),
            ),
            "products": (
                "featured_products",
                self.products.get,
                _("No product has the code “%(value)s”."),
            ),
        }
        for name, (relation, find, unknown) in named.items():
            if name in given:
                values[relation] = {m.pk for m in self._find_all(table, row, name, find, unknown)}
        return slug or None

    def _party(self, table: Table, row: Row) -> tuple[Enterprise | None, Institution | None]:
        given = row.values
        enterprise = institution = None
        if "credit_code" in given:
            enterprise = self._find(
                table,
                row,
                "credit_code",
                given["credit_code"],
                self.enterprises.get,
                _("No enterprise on the portal has the credit code %(code)s."),
            )
        if "institution" in given:
            institution = self._find(
                table,
                row,
                "institution",
                given["institution"],
                self.institutions.get,
                _("No institution on the portal has the code “%(code)s”."),
            )
        return enterprise, institution

    def _check_event_reference(self, table: Table, row: Row) -> str:
        slug: str = row.values.get("event", "")
        if not slug:
            return ""
        known, province = self._event_province(slug)
        if not known:
            self._fail(
                table,
                row,
                "event",
                _("No event has the code “%(value)s”, on the portal or in the events sheet.")
                % {"value": slug},
            )
        elif province is not None and not self._covers(province):
            self._fail(table, row, "event", _("This event is hosted in another province."))
        return slug

    def _check_registration(self, table: Table, row: Row, values: dict[str, Any]) -> Any:
        slug = self._check_event_reference(table, row)
        if ("credit_code" in row.cells) == ("institution" in row.cells):
            self._fail(
                table,
                row,
                "credit_code",
                _("Give either an enterprise's credit code or an institution's code, not both."),
            )
            return None
        enterprise, institution = self._party(table, row)
        values.update(event=slug, enterprise=enterprise, institution=institution)
        values.update(
            (name, row.values[name])
            for name in ("status", "need_amount", "need_term_months")
            if name in row.values
        )
        party = (
            ("e", enterprise.pk) if enterprise else ("i", institution.pk) if institution else None
        )
        return (slug, party) if party else None

    def _check_contract(self, table: Table, row: Row, values: dict[str, Any]) -> Any:
        given = row.values
        reference = values["reference"] = given.get("reference", "")
        existing = self.contracts.get(reference)
        if existing is not None and existing.application_id is not None:
            self._fail(
                table,
                row,
                "reference",
                _("This contract came from an application on the portal; it is changed there."),
            )
        values["event"] = self._check_event_reference(table, row)
        values.update(
            (name, given[name]) for name in ("kind", "amount", "signed_on") if name in given
        )
        enterprise, institution = self._party(table, row)
        values.update(enterprise=enterprise, institution=institution)
        if "product" in given:
            product = self._find(
                table,
                row,
                "product",
                given["product"],
                self.products.get,
                _("No product has the code “%(value)s”."),
            )
            if (
                product is not None
                and institution is not None
                and product.institution_id != institution.pk
            ):
                self._fail(table, row, "product", _("This product belongs to another institution."))
            values["product"] = product
        return reference or None

    # ----------------------------------------------------------------- writes

    def run(self) -> dict[str, dict[str, int]]:
        """Check, then write everything or nothing. Returns counts per sheet."""
        self.check()
        if self.problems:
            raise ImportRejected(self.problems)
        self.progress(60, _("Writing %(count)d rows…") % {"count": self.total})
        counts = {name: Counts() for name in self.planned}
        writers = {
            "events": self._write_event,
            "registrations": self._write_registration,
            "contracts": self._write_contract,
        }
        with transaction.atomic():
            for name, rows in self.planned.items():
                for planned in rows:
                    try:
                        with transaction.atomic():
                            counts[name].add(writers[name](planned.values))
                    except ValidationError as error:
                        self._refused(planned, error)
                    except (Conflict, PermissionDenied) as refusal:
                        self._refused(planned, ValidationError(str(refusal)))
                    except IntegrityError:
                        self._refused(
                            planned,
                            ValidationError(
                                _("This row conflicts with a row already on the portal.")
                            ),
                        )
            if self.problems:
                raise ImportRejected(self.problems)
        return {name: vars(c) for name, c in counts.items()}

    def _refused(self, planned: Planned, error: ValidationError) -> None:
        """What a service refused, on the columns it names (the row's first
        column when it names none the sheet has)."""
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        columns = {c.field for c in planned.table.sheet.columns}
        for name, texts in messages.items():
            name = COLUMN_OF.get(name, name)
            column = name if name in columns else planned.table.sheet.columns[0].field
            for text in texts:
                self.problems.append(planned.table.problem(planned.row, column, text))

    def _event(self, slug: str) -> Event:
        event = self.events.get(slug) or Event.objects.filter(slug=slug).first()
        if event is None:
            # Its row in the events sheet was refused: that row says why.
            raise ValidationError(
                {
                    "event": _(
                        "The event “%(value)s” was not written; its row in the events sheet "
                        "says why."
                    )
                    % {"value": slug}
                }
            )
        self.events[slug] = event
        return event

    def _write_event(self, values: dict[str, Any]) -> str:
        values = dict(values)
        slug = values.pop("slug")
        participants = {name: values.pop(name) for name in PARTICIPANTS if name in values}
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            event = event_create(actor=self.actor, slug=slug, **values)
            event = event_publish(event=event, actor=self.actor, note=self._note())
            outcome = "created"
        else:
            changed = {
                name: value
                for name, value in values.items()
                if (
                    set(getattr(event, name).values_list("pk", flat=True)) != set(value)
                    if name in RELATIONS
                    else name in _changed(event, {name: value})
                )
            }
            outcome = "unchanged"
            if changed:
                event = event_update(event=event, actor=self.actor, **changed)
                outcome = "updated"
        reported = {name: getattr(event, name) for name in PARTICIPANTS}
        if participants and {**reported, **participants} != reported:
            try:
                event = event_report_participants(
                    event=event,
                    actor=self.actor,
                    **{name: value or 0 for name, value in {**reported, **participants}.items()},
                )
            except Conflict as refusal:  # an event that has not started yet
                raise ValidationError({next(iter(participants)): str(refusal)}) from refusal
            outcome = "updated" if outcome == "unchanged" else outcome
        self.events[slug] = event
        return outcome

    def _write_registration(self, values: dict[str, Any]) -> str:
        event = self._event(values["event"])
        party = (
            {"enterprise": values["enterprise"]}
            if values["enterprise"]
            else {"institution": values["institution"]}
        )
        found = list(
            Registration.objects.filter(event=event, **party).order_by("-created_at", "-id")
        )
        current = next((r for r in found if r.status != Registration.Status.CANCELLED), None)
        current = current or (found[0] if found else None)
        status = values.get("status") or None
        need: dict[str, Any] = {
            name: values[name] for name in ("need_amount", "need_term_months") if name in values
        }
        if current is None or (
            current.status == Registration.Status.CANCELLED
            and status not in (None, Registration.Status.CANCELLED)
        ):
            wanted = status or Registration.Status.CONFIRMED
            start = wanted if wanted in REGISTRATION.initial else Registration.Status.CONFIRMED
            registration = registration_create(
                event=event, actor=self.actor, reported=True, status=start, **party, **need
            )
            if wanted != start:
                self._move_registration(registration, wanted)
            return "created"
        outcome = "unchanged"
        if need and _changed(current, need):
            current = registration_report_need(
                registration=current,
                actor=self.actor,
                **{name: need.get(name, getattr(current, name)) for name in NEED},
            )
            outcome = "updated"
        if status is not None and status != current.status:
            self._move_registration(current, status)
            outcome = "updated"
        return outcome

    def _move_registration(self, registration: Registration, status: str) -> None:
        """The registration workflow's move from its status to `status`,
        through that move's own service."""
        moves = [
            name
            for name, act in REGISTRATION.user_actions().items()
            if act.to == status and registration.status in act.sources
        ]
        if not moves:
            raise ValidationError(
                {
                    "status": _("A registration that is “%(from)s” cannot become “%(to)s”.")
                    % {
                        "from": registration.get_status_display(),
                        "to": Registration.Status(status).label,
                    }
                }
            )
        service = REGISTRATION.service(moves[0])
        note = {"note": self._note()} if "note" in inspect.signature(service).parameters else {}
        service(registration=registration, actor=self.actor, **note)

    def _write_contract(self, values: dict[str, Any]) -> str:
        event = self._event(values["event"])
        enterprise = values["enterprise"]
        registration = active_registration(event=event, enterprise_id=enterprise.pk)
        if registration is None:
            raise ValidationError(
                {"credit_code": _("This enterprise is not registered for the event.")}
            )
        signing = {
            "event": event,
            "kind": values["kind"],
            "amount": values["amount"],
            "signed_on": values["signed_on"],
            "institution": values["institution"],
            "product": values.get("product"),
        }
        contract = Contract.objects.filter(reference=values["reference"]).first()
        if contract is None:
            contract_record_onsite(
                actor=self.actor,
                reference=values["reference"],
                registration=registration,
                **signing,
            )
            return "created"
        if "product" not in values:
            signing["product"] = contract.product
        if contract.registration_id == registration.pk and not _changed(contract, signing):
            return "unchanged"
        contract_correct_onsite(
            contract=contract, actor=self.actor, registration=registration, **signing
        )
        return "updated"

    def _note(self) -> str:
        return _("Imported from %(file)s") % {"file": self.source} if self.source else _("Imported")
