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
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import Jurisdiction
from core.models import Province
from core.spreadsheets import parse_amount, parse_date, text_key
from core.validators import validate_credit_code
from dashboards.rollups import refresh_event_later
from enterprises.models import Enterprise
from events.models import (
    Campaign,
    Event,
    EventKind,
    Registration,
    RegistrationStatusChange,
)
from events.workflows import REGISTRATION
from financing.models import Contract
from parks.models import Park
from products.models import Institution, Product
from reports.spreadsheets import ImportRejected, Problem, Table

Progress = Callable[[int, str], None]
_SPLIT = re.compile(r"[,，、;；\n]+")
_DATETIME = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})[:：](\d{2}))?"
)
DEFAULT_START = dt.time(9, 0)
DEFAULT_END = dt.time(18, 0)

_FORMATS = {
    "线下": Event.Format.OFFLINE,
    "现场": Event.Format.OFFLINE,
    "线上": Event.Format.ONLINE,
    "网上": Event.Format.ONLINE,
    "线上线下": Event.Format.HYBRID,
    "线上+线下": Event.Format.HYBRID,
    "线上线下结合": Event.Format.HYBRID,
}
_REGISTRATION_STATUSES = {
    "已报名": Registration.Status.REGISTERED,
    "报名": Registration.Status.REGISTERED,
    "已确认": Registration.Status.CONFIRMED,
    "确认": Registration.Status.CONFIRMED,
    "已签到": Registration.Status.CHECKED_IN,
    "签到": Registration.Status.CHECKED_IN,
    "已参会": Registration.Status.CHECKED_IN,
    "已取消": Registration.Status.CANCELLED,
    "取消": Registration.Status.CANCELLED,
    "候补": Registration.Status.WAITLISTED,
}
_CONTRACT_KINDS = {
    "贷款合同": Contract.Kind.LOAN,
    "贷款": Contract.Kind.LOAN,
    "借款合同": Contract.Kind.LOAN,
    "合同": Contract.Kind.LOAN,
    "意向协议": Contract.Kind.INTENTION,
    "意向": Contract.Kind.INTENTION,
    "意向签约": Contract.Kind.INTENTION,
}


def _choices(model_choices: Iterable[tuple[str, Any]], aliases: dict[str, str]) -> dict[str, str]:
    found = {text_key(alias): code for alias, code in aliases.items()}
    for code, label in model_choices:
        found[text_key(code)] = code
        found[text_key(str(label))] = code
    return found


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


# Foreign keys the checks found in the database within this import: the
# model need not look each of them up again.
RESOLVED = ["event", "enterprise", "institution", "product", "campaign", "host_province"]


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
        self.touched: set[int] = set()
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
                cells = row.cells
                for name in ("institution", "product", "reference"):
                    if name in cells:
                        mentioned[name].add(self._text(cells[name]))
                if "credit_code" in cells:
                    mentioned["credit_code"].add(self._text(cells["credit_code"]).upper())
                # Event codes are slugs: compared in lower case.
                for name in ("event", "slug"):
                    if name in cells:
                        mentioned["event"].add(self._text(cells[name]).lower())
                mentioned["product"].update(self._list(cells.get("products")))
                mentioned["park"].update(self._list(cells.get("parks")))

        self.provinces: dict[str, Province] = {}
        for province in Province.objects.all():
            for alias in (province.code, province.name_zh, province.name_en, province.short_zh):
                if alias:
                    self.provinces[text_key(alias)] = province
            # "浙江" as well as "浙江省".
            self.provinces.setdefault(
                text_key(re.sub("(省|市|自治区|特别行政区)$", "", province.name_zh)), province
            )
        self.kinds: dict[str, str] = {}
        for kind in EventKind.objects.all():
            for alias in (kind.code, kind.name_zh, kind.name_en, kind.get_code_display()):
                self.kinds[text_key(str(alias))] = kind.code
        self.campaigns = {c.slug: c for c in Campaign.objects.all()}
        self.events = {e.slug: e for e in Event.objects.filter(slug__in=mentioned["event"])}
        self.parks: dict[str, Park] = {}
        for park in Park.objects.filter(
            Q(slug__in=mentioned["park"]) | Q(name_zh__in=mentioned["park"])
        ):
            self.parks[park.slug] = park
            self.parks[park.name_zh] = park
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

    # ----------------------------------------------------------------- cell readers

    @staticmethod
    def _text(value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return unicodedata.normalize("NFKC", str(value)).strip()

    def _list(self, value: Any) -> list[str]:
        if value is None:
            return []
        return [part.strip() for part in _SPLIT.split(self._text(value)) if part.strip()]

    def _province(self, value: Any) -> Province | None:
        return self.provinces.get(text_key(self._text(value)))

    @staticmethod
    def _whole(value: Any) -> int | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value if value >= 0 else None
        if isinstance(value, float):
            return int(value) if value.is_integer() and value >= 0 else None
        text = re.sub(r"[\s,人]", "", unicodedata.normalize("NFKC", str(value)))
        return int(text) if text.isdigit() else None

    def _moment(self, value: Any, default: dt.time) -> dt.datetime | None:
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, dt.date):
            moment = dt.datetime.combine(value, default)
        else:
            match = _DATETIME.fullmatch(self._text(value))
            if match is None:
                return None
            try:
                moment = dt.datetime(
                    int(match[1]),
                    int(match[2]),
                    int(match[3]),
                    int(match[4]) if match[4] else default.hour,
                    int(match[5]) if match[5] else default.minute,
                )
            except ValueError:
                return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

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
                planned = Planned(table=table, row=row.number)
                key = checks[table.sheet.name](table, row.number, row.cells, planned.values)
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

    def _fail(self, table: Table, row: int, name: str, message: str) -> None:
        self.problems.append(table.problem(row, name, message))

    def _check_event(
        self, table: Table, row: int, cells: dict[str, Any], values: dict[str, Any]
    ) -> Any:
        fail = lambda name, message: self._fail(table, row, name, message)  # noqa: E731
        slug = self._text(cells["slug"]).lower() if "slug" in cells else ""
        if not slug:
            fail("slug", _("The event code is missing."))
        elif not re.fullmatch(r"[-a-z0-9_]+", slug) or len(slug) > 100:
            fail(
                "slug",
                _("“%(value)s” is not an event code: use letters, digits and hyphens.")
                % {"value": slug},
            )
        values["slug"] = slug

        province = None
        if "host_province" not in cells:
            fail("host_province", _("The host province is missing."))
        else:
            province = self._province(cells["host_province"])
            if province is None:
                fail(
                    "host_province",
                    _("“%(value)s” is not a province.") % {"value": cells["host_province"]},
                )
            elif not self._covers(province.pk):
                fail("host_province", _("You may only import events hosted in your own province."))
            values["host_province"] = province
        existing = self.events.get(slug)
        if existing is not None and not self._covers(existing.host_province_id):
            fail("slug", _("This event is hosted in another province; you may not change it."))
        if slug:
            self.file_events[slug] = province.pk if province else None

        for name, label in (("title_zh", _("The Chinese title is missing.")),):
            if name not in cells:
                fail(name, label)
            else:
                values[name] = self._text(cells[name])[:255]
        for name, limit in (("title_en", 255), ("city_zh", 60), ("venue", 255)):
            if name in cells:
                values[name] = self._text(cells[name])[:limit]

        if "campaign" in cells:
            campaign = self.campaigns.get(self._text(cells["campaign"]))
            if campaign is None:
                fail(
                    "campaign",
                    _("No campaign has the code “%(value)s”.") % {"value": cells["campaign"]},
                )
            values["campaign"] = campaign

        starts = ends = None
        for name, default in (("starts_at", DEFAULT_START), ("ends_at", DEFAULT_END)):
            if name not in cells:
                fail(name, _("The time is missing."))
                continue
            moment = self._moment(cells[name], default)
            if moment is None:
                fail(
                    name,
                    _("“%(value)s” is not a time; write it as 2020-11-18 09:00.")
                    % {"value": cells[name]},
                )
            values[name] = moment
            starts, ends = (moment, ends) if name == "starts_at" else (starts, moment)
        if starts and ends and ends < starts:
            fail("ends_at", _("The event ends before it starts."))

        if "format" in cells:
            formats = _choices(Event.Format.choices, _FORMATS)
            code = formats.get(text_key(self._text(cells["format"])))
            if code is None:
                fail(
                    "format",
                    _("“%(value)s” is not a format: offline, online or hybrid.")
                    % {"value": cells["format"]},
                )
            values["format"] = code
        for name in ("participants_online", "participants_offline"):
            if name in cells:
                number = self._whole(cells[name])
                if number is None:
                    fail(name, _("“%(value)s” is not a whole number.") % {"value": cells[name]})
                values[name] = number

        if "kinds" in cells:
            codes = []
            for part in self._list(cells["kinds"]):
                code = self.kinds.get(text_key(part))
                if code is None:
                    fail("kinds", _("“%(value)s” is not a kind of event.") % {"value": part})
                codes.append(code)
            values["kinds"] = set(codes)
        if "parks" in cells:
            parks = []
            for part in self._list(cells["parks"]):
                park = self.parks.get(part)
                if park is None:
                    fail("parks", _("No park is called “%(value)s”.") % {"value": part})
                parks.append(park)
            values["parks"] = {p.pk for p in parks if p}
        if "participating_provinces" in cells:
            provinces = []
            for part in self._list(cells["participating_provinces"]):
                other = self._province(part)
                if other is None:
                    fail(
                        "participating_provinces",
                        _("“%(value)s” is not a province.") % {"value": part},
                    )
                provinces.append(other)
            values["participating_provinces"] = {p.pk for p in provinces if p}
        if "products" in cells:
            products = []
            for part in self._list(cells["products"]):
                product = self.products.get(part)
                if product is None:
                    fail("products", _("No product has the code “%(value)s”.") % {"value": part})
                products.append(product)
            values["featured_products"] = {p.pk for p in products if p}
        return slug or None

    def _party(
        self, table: Table, row: int, cells: dict[str, Any], *, required: bool
    ) -> tuple[Enterprise | None, Institution | None]:
        enterprise = institution = None
        if "credit_code" in cells:
            code = self._text(cells["credit_code"]).upper()
            try:
                validate_credit_code(code)
            except ValidationError as error:
                self._fail(table, row, "credit_code", " ".join(error.messages))
            else:
                enterprise = self.enterprises.get(code)
                if enterprise is None:
                    self._fail(
                        table,
                        row,
                        "credit_code",
                        _("No enterprise on the portal has the credit code %(code)s.")
                        % {"code": code},
                    )
        elif required:
            self._fail(table, row, "credit_code", _("The enterprise's credit code is missing."))
        if "institution" in cells:
            code = self._text(cells["institution"])
            institution = self.institutions.get(code)
            if institution is None:
                self._fail(
                    table,
                    row,
                    "institution",
                    _("No institution on the portal has the code “%(code)s”.") % {"code": code},
                )
        elif required:
            self._fail(table, row, "institution", _("The institution's code is missing."))
        return enterprise, institution

    def _check_event_reference(self, table: Table, row: int, cells: dict[str, Any]) -> str:
        if "event" not in cells:
            self._fail(table, row, "event", _("The event code is missing."))
            return ""
        slug = self._text(cells["event"]).lower()
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

    def _check_registration(
        self, table: Table, row: int, cells: dict[str, Any], values: dict[str, Any]
    ) -> Any:
        slug = self._check_event_reference(table, row, cells)
        if ("credit_code" in cells) == ("institution" in cells):
            self._fail(
                table,
                row,
                "credit_code",
                _("Give either an enterprise's credit code or an institution's code, not both."),
            )
            return None
        enterprise, institution = self._party(table, row, cells, required=False)
        values.update(event=slug, enterprise=enterprise, institution=institution)
        if "status" in cells:
            statuses = _choices(Registration.Status.choices, _REGISTRATION_STATUSES)
            status = statuses.get(text_key(self._text(cells["status"])))
            if status is None:
                self._fail(
                    table,
                    row,
                    "status",
                    _("“%(value)s” is not a registration status.") % {"value": cells["status"]},
                )
            values["status"] = status
        if "need_amount" in cells:
            amount = parse_amount(cells["need_amount"])
            if amount is None or amount < 0:
                self._fail(
                    table,
                    row,
                    "need_amount",
                    _("“%(value)s” is not an amount in yuan.") % {"value": cells["need_amount"]},
                )
            values["need_amount"] = amount
        if "need_term_months" in cells:
            months = self._whole(cells["need_term_months"])
            if months is None or months > 600:
                self._fail(
                    table,
                    row,
                    "need_term_months",
                    _("“%(value)s” is not a number of months.")
                    % {"value": cells["need_term_months"]},
                )
            values["need_term_months"] = months
        party = (
            ("e", enterprise.pk) if enterprise else ("i", institution.pk) if institution else None
        )
        return (slug, party) if party else None

    def _check_contract(
        self, table: Table, row: int, cells: dict[str, Any], values: dict[str, Any]
    ) -> Any:
        reference = self._text(cells["reference"]) if "reference" in cells else ""
        if not reference:
            self._fail(table, row, "reference", _("The contract number is missing."))
        elif len(reference) > 40:
            self._fail(table, row, "reference", _("A contract number has at most 40 characters."))
        existing = self.contracts.get(reference)
        if existing is not None and existing.application_id is not None:
            self._fail(
                table,
                row,
                "reference",
                _("This contract came from an application on the portal; it is changed there."),
            )
        values["reference"] = reference
        values["event"] = self._check_event_reference(table, row, cells)
        if "kind" not in cells:
            self._fail(table, row, "kind", _("The kind of contract is missing."))
        else:
            kind = _choices(Contract.Kind.choices, _CONTRACT_KINDS).get(
                text_key(self._text(cells["kind"]))
            )
            if kind is None:
                self._fail(
                    table,
                    row,
                    "kind",
                    _("“%(value)s” is not a kind of contract: loan or intention.")
                    % {"value": cells["kind"]},
                )
            values["kind"] = kind
        if "amount" not in cells:
            self._fail(table, row, "amount", _("The amount is missing."))
        else:
            amount = parse_amount(cells["amount"])
            if amount is None or amount <= 0:
                self._fail(
                    table,
                    row,
                    "amount",
                    _("“%(value)s” is not an amount in yuan.") % {"value": cells["amount"]},
                )
            values["amount"] = amount
        if "signed_on" not in cells:
            self._fail(table, row, "signed_on", _("The date of signing is missing."))
        else:
            day = parse_date(cells["signed_on"])
            if day is None:
                self._fail(
                    table,
                    row,
                    "signed_on",
                    _("“%(value)s” is not a date; write it as 2020-11-18.")
                    % {"value": cells["signed_on"]},
                )
            elif day > timezone.localdate():
                self._fail(table, row, "signed_on", _("The date of signing is in the future."))
            values["signed_on"] = day
        enterprise, institution = self._party(table, row, cells, required=True)
        values.update(enterprise=enterprise, institution=institution)
        if "product" in cells:
            product = self.products.get(self._text(cells["product"]))
            if product is None:
                self._fail(
                    table,
                    row,
                    "product",
                    _("No product has the code “%(value)s”.") % {"value": cells["product"]},
                )
            elif institution is not None and product.institution_id != institution.pk:
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
        with transaction.atomic():
            writers = {
                "events": self._write_event,
                "registrations": self._write_registration,
                "contracts": self._write_contract,
            }
            for name, rows in self.planned.items():
                if name == "contracts":
                    self._lock_contracts([p.values["reference"] for p in rows])
                for planned in rows:
                    try:
                        with transaction.atomic():
                            outcome, event_id = writers[name](planned.values)
                        counts[name].add(outcome)
                        if outcome != "unchanged":
                            self.touched.add(event_id)
                    except ValidationError as error:
                        self._model_problems(planned, error)
                    except IntegrityError:
                        self.problems.append(
                            planned.table.problem(
                                planned.row,
                                planned.table.sheet.columns[0].field,
                                _("This row conflicts with a row already on the portal."),
                            )
                        )
            if self.problems:
                raise ImportRejected(self.problems)
            # The dashboards' rollups follow each event touched, once this commits.
            for event_id in sorted(self.touched):
                refresh_event_later(event_id=event_id)
        return {name: vars(c) for name, c in counts.items()}

    def _lock_contracts(self, references: list[str]) -> None:
        """Lock every contract the file names, a chunk of keys per query."""
        self.locked: dict[str, Contract] = {}
        for start in range(0, len(references), 500):
            chunk = references[start : start + 500]
            for contract in Contract.objects.select_for_update().filter(reference__in=chunk):
                self.locked[contract.reference] = contract

    def _model_problems(self, planned: Planned, error: ValidationError) -> None:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        columns = {c.field for c in planned.table.sheet.columns}
        for name, texts in messages.items():
            column = name if name in columns else planned.table.sheet.columns[0].field
            for text in texts:
                self.problems.append(planned.table.problem(planned.row, column, text))

    def _event(self, slug: str) -> Event:
        event = self.events.get(slug)
        if event is None:
            event = self.events[slug] = Event.objects.get(slug=slug)
        return event

    # TODO(events services): create and update through `events.services` once it has them.
    def _write_event(self, values: dict[str, Any]) -> tuple[str, int]:
        values = dict(values)
        relations = {
            name: values.pop(name)
            for name in ("kinds", "parks", "participating_provinces", "featured_products")
            if name in values
        }
        event = Event.objects.select_for_update().filter(slug=values["slug"]).first()
        outcome = "unchanged"
        if event is None:
            # A bureau reports events that took place or are fixed: they count.
            event = Event(status=Event.Status.PUBLISHED, created_by=self.actor, **values)
            outcome = "created"
        else:
            changed = _changed(event, values)
            for name in changed:
                setattr(event, name, values[name])
            if changed:
                outcome = "updated"
        if outcome != "unchanged":
            event.full_clean(exclude=RESOLVED)
            event.save()
        for name, wanted in relations.items():
            manager = getattr(event, name)
            have = set(manager.values_list("pk", flat=True)) if outcome != "created" else set()
            if have != wanted:
                manager.set(wanted)
                outcome = "updated" if outcome == "unchanged" else outcome
        self.events[event.slug] = event
        return outcome, event.pk

    # TODO(events services): register and move the status through `events.services`.
    def _write_registration(self, values: dict[str, Any]) -> tuple[str, int]:
        event = self._event(values["event"])
        party = (
            {"enterprise": values["enterprise"]}
            if values["enterprise"]
            else {"institution": values["institution"]}
        )
        found = list(
            Registration.objects.select_for_update()
            .filter(event=event, **party)
            .order_by("-created_at", "-id")
        )
        current = next((r for r in found if r.status != Registration.Status.CANCELLED), None)
        current = current or (found[0] if found else None)
        status = values.get("status") or None
        details = {
            name: values[name] for name in ("need_amount", "need_term_months") if name in values
        }
        wanted = status or Registration.Status.REGISTERED
        if current is None or (
            current.status == Registration.Status.CANCELLED
            and wanted != Registration.Status.CANCELLED
        ):
            registration = Registration(
                event=event, registered_by=self.actor, status=wanted, **party, **details
            )
            registration.full_clean(exclude=RESOLVED)
            registration.save()
            RegistrationStatusChange.objects.create(
                registration=registration,
                to_status=wanted,
                actor=self.actor,
                note=self._note(),
            )
            return "created", event.pk
        changed = _changed(current, details)
        moved = status is not None and status != current.status
        if moved and status not in REGISTRATION.moves()[current.status]:
            raise ValidationError(
                {
                    "status": _("A registration that is “%(from)s” cannot become “%(to)s”.")
                    % {
                        "from": current.get_status_display(),
                        "to": Registration.Status(status).label,
                    }
                }
            )
        if not changed and not moved:
            return "unchanged", event.pk
        previous = current.status
        for name in changed:
            setattr(current, name, details[name])
        if moved:
            current.status = status
            if status == Registration.Status.CHECKED_IN and current.checked_in_at is None:
                current.checked_in_at = timezone.now()
        current.full_clean(exclude=RESOLVED)
        current.save()
        if moved:
            RegistrationStatusChange.objects.create(
                registration=current,
                from_status=previous,
                to_status=status,
                actor=self.actor,
                note=self._note(),
            )
        return "updated", event.pk

    # TODO(financing services): record on-site contracts through `financing.services`.
    def _write_contract(self, values: dict[str, Any]) -> tuple[str, int]:
        values = {**values, "event": self._event(values["event"])}
        contract = self.locked.get(values["reference"])
        if contract is None:
            contract = Contract(created_by=self.actor, **values)
            contract.full_clean(exclude=RESOLVED)
            contract.save()
            return "created", contract.event_id
        changed = _changed(contract, values)
        if not changed:
            return "unchanged", contract.event_id
        # A contract moved to another event changes the figures of both.
        self.touched.add(contract.event_id)
        for name in changed:
            setattr(contract, name, values[name])
        contract.full_clean(exclude=RESOLVED)
        contract.save()
        return "updated", contract.event_id

    def _note(self) -> str:
        return _("Imported from %(file)s") % {"file": self.source} if self.source else _("Imported")
