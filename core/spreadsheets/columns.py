"""What an importer declares: its sheets and their typed columns.

A column names the field its cells fill, the headings that name it (English,
Chinese and other spellings people use), whether every row must fill it, and
how a cell is read and checked. Reading a sheet (`reading.py`) applies the
declarations, so an importer is left with the checks only it can make (the
rows it looks up in the database, rules across columns).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from typing import Any, ClassVar, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from core.spreadsheets.cells import (
    BRACKETED,
    cell_text,
    heading_key,
    parse_amount,
    parse_date,
    parse_moment,
    parse_whole,
    split_list,
    text_key,
)

Message = str | Promise


class Invalid(Exception):
    """A cell that cannot be read as its column says."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def in_every_language(text: Message) -> list[str]:
    """A translatable text as each language of the portal writes it: a file in
    Chinese may be read by someone whose portal speaks English."""
    found = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.append(str(text))
    return found


def listing(items: Sequence[str]) -> str:
    return ("、" if (translation.get_language() or "").startswith("zh") else ", ").join(items)


@dataclass(frozen=True)
class Column:
    """A column whose cells are taken as they are (text stripped)."""

    field: str
    _: KW_ONLY
    zh: str
    en: str = ""  # the English heading; the field name unless given
    headings: tuple[str, ...] = ()  # other headings that name the column
    required: bool = False  # in the header row, and filled in on every row
    help: Message = ""  # what to write, for the template's notes
    example: Message = ""  # the cell of the template's example row
    missing: Message = ""  # a required cell is empty
    invalid: Message = ""  # the cell cannot be read; may say %(value)s
    validators: tuple[Callable[[Any], None], ...] = ()

    default_invalid: ClassVar[Message] = gettext_lazy("“%(value)s” cannot be read here.")
    default_help: ClassVar[Message] = ""

    def __post_init__(self) -> None:
        if not self.en:
            object.__setattr__(self, "en", self.field)

    def heading_in(self, *, chinese: bool) -> str:
        return self.zh if chinese else self.en

    def names(self) -> tuple[str, ...]:
        return (self.field, self.en, self.zh, *self.headings)

    def describe(self) -> str:
        """What to write in the column, for the template's notes."""
        return str(self.help or self.default_help)

    def example_text(self) -> str:
        """The cell the template's example row shows."""
        return str(self.example)

    def missing_message(self) -> str:
        return str(self.missing or gettext_lazy("This column must be filled in on every row."))

    def fail(self, value: Any, **params: Any) -> Invalid:
        message = str(self.invalid or self.default_invalid)
        return Invalid(message % {"value": value, **params})

    def read(self, value: Any) -> Any:
        """The cell's value (never empty); raises Invalid."""
        return value

    def under(self, heading: str) -> Column:
        """The column as the file's heading for it says to read it (an amount
        in 万元); raises Invalid when the heading cannot be read that way."""
        return self

    def checks(self) -> tuple[Callable[[Any], None], ...]:
        """The validators a value read from a cell must pass."""
        return self.validators

    def clean(self, value: Any) -> Any:
        cleaned = self.read(value)
        for validator in self.checks():
            try:
                validator(cleaned)
            except ValidationError as error:
                raise Invalid(" ".join(error.messages)) from error
        return cleaned


@dataclass(frozen=True, kw_only=True)
class Text(Column):
    """Text, NFKC-normalised for codes and names typed in full width, in one
    case for codes compared that way; at most `max_length` characters."""

    normalize: bool = False
    case: Literal["", "lower", "upper"] = ""
    max_length: int | None = None

    def read(self, value: Any) -> str:
        text = cell_text(value, normalize=self.normalize)
        if self.case:
            text = text.lower() if self.case == "lower" else text.upper()
        return text

    def checks(self) -> tuple[Callable[[Any], None], ...]:
        if self.max_length is None:
            return self.validators
        return (MaxLengthValidator(self.max_length), *self.validators)


@dataclass(frozen=True, kw_only=True)
class TextList(Column):
    """Several values in one cell, separated by commas, 、 or semicolons."""

    def read(self, value: Any) -> list[str]:
        return split_list(value)


@dataclass(frozen=True, kw_only=True)
class Parsed(Column):
    """A column whose cells `parse` reads: a cell it cannot read (None), or
    whose value `accepts` refuses, is invalid."""

    # Reads a cell, None when it cannot.
    parser: ClassVar[staticmethod[[Any], Any]]

    def parse(self, value: Any) -> Any:
        return type(self).parser(value)

    def accepts(self, parsed: Any) -> bool:
        return True

    def read(self, value: Any) -> Any:
        parsed = self.parse(value)
        if parsed is None or not self.accepts(parsed):
            raise self.fail(value)
        return parsed


@dataclass(frozen=True, kw_only=True)
class Number(Parsed):
    """A number from `min_value` (above it, when `min_exclusive`) to `max_value`."""

    min_value: Any = None
    max_value: Any = None
    min_exclusive: bool = False

    def accepts(self, parsed: Any) -> bool:
        low, high = self.min_value, self.max_value
        if low is not None and (parsed <= low if self.min_exclusive else parsed < low):
            return False
        return high is None or parsed <= high


@dataclass(frozen=True, kw_only=True)
class Whole(Number):
    """A whole number: 300, 300.0, "1,200" or "300人"; none below 0 unless
    `min_value` says otherwise."""

    min_value: Any = 0

    default_invalid: ClassVar[Message] = gettext_lazy("“%(value)s” is not a whole number.")
    default_help: ClassVar[Message] = gettext_lazy("A whole number.")
    parser = staticmethod(parse_whole)


# The units an amount column's heading may name in brackets (“金额（万元）”),
# each with what one of it is in yuan. A heading with no unit is in yuan.
AMOUNT_UNITS: dict[str, int] = {
    "元": 1,
    "yuan": 1,
    "万元": 10_000,
    "亿元": 100_000_000,
}


@dataclass(frozen=True, kw_only=True)
class Amount(Number):
    """An amount of money: 2000000, "1,500,000", 200万, ¥3.5亿. A bare number
    is in the unit the column's heading names (`AMOUNT_UNITS`), yuan unless
    it names one; a number written with its own unit (200万) says it itself."""

    unit: int = 1  # yuan per unit of a bare number, from the file's heading

    default_invalid: ClassVar[Message] = gettext_lazy("“%(value)s” is not an amount in yuan.")
    default_help: ClassVar[Message] = gettext_lazy("Yuan, e.g. 2000000 or 200万.")
    parser = staticmethod(parse_amount)

    def parse(self, value: Any) -> Any:
        return parse_amount(value, unit=self.unit)

    def under(self, heading: str) -> Amount:
        units = [text_key(found[1:-1]) for found in BRACKETED.findall(heading)]
        for unit in units:
            if unit not in AMOUNT_UNITS:
                raise Invalid(
                    gettext(
                        "The heading “%(heading)s” names a unit the portal does not know; "
                        "write amounts in %(units)s."
                    )
                    % {"heading": heading, "units": listing(list(AMOUNT_UNITS))}
                )
        if len(set(units)) > 1:
            raise Invalid(
                gettext("The heading “%(heading)s” names more than one unit.")
                % {"heading": heading}
            )
        return dataclasses.replace(self, unit=AMOUNT_UNITS[units[0]] if units else 1)

    def describe(self) -> str:
        units = gettext(
            "A bare number is in the unit the heading names in brackets (%(units)s), "
            "yuan when it names none."
        ) % {"units": listing(list(AMOUNT_UNITS))}
        return f"{super().describe()} {units}"


@dataclass(frozen=True, kw_only=True)
class Date(Parsed):
    default_invalid: ClassVar[Message] = gettext_lazy(
        "“%(value)s” is not a date; write it as 2020-03-01."
    )
    default_help: ClassVar[Message] = gettext_lazy("A date, e.g. 2020-03-01.")
    parser = staticmethod(parse_date)


@dataclass(frozen=True, kw_only=True)
class DateTime(Parsed):
    """A date and time of day, in the portal's time zone; a date alone is at
    `default_time`."""

    default_time: dt.time = dt.time(0, 0)

    default_invalid: ClassVar[Message] = gettext_lazy(
        "“%(value)s” is not a time; write it as 2020-11-18 09:00."
    )

    def parse(self, value: Any) -> dt.datetime | None:
        return parse_moment(value, default=self.default_time)


@dataclass(frozen=True, kw_only=True)
class Choice(Parsed):
    """One of `choices` (code, label): a cell may give the code, the label in
    any of the portal's languages, or one of the `aliases` (alias → code)."""

    choices: Sequence[tuple[str, Message]] = ()
    aliases: Mapping[str, str] = dataclass_field(default_factory=dict)

    default_invalid: ClassVar[Message] = gettext_lazy("“%(value)s” is not one of: %(choices)s.")

    @cached_property
    def _codes(self) -> dict[str, str]:
        codes = {text_key(alias): code for alias, code in self.aliases.items()}
        for code, label in self.choices:
            codes[text_key(code)] = code
            for text in in_every_language(label):
                codes[text_key(text)] = code
        return codes

    def labels(self) -> list[str]:
        return [str(label) for _code, label in self.choices]

    def parse(self, value: Any) -> str | None:
        return self._codes.get(text_key(cell_text(value)))

    def fail(self, value: Any, **params: Any) -> Invalid:
        return super().fail(value, choices=listing(self.labels()), **params)

    def example_text(self) -> str:
        """A code's label, as people write it in the current language."""
        labels = {code: str(label) for code, label in self.choices}
        return labels.get(str(self.example), str(self.example))

    def spellings(self) -> dict[str, list[str]]:
        """Every spelling that imports, by code: the code, its label in the
        current language and the aliases, as the template's notes list them."""
        found = {code: [code, str(label)] for code, label in self.choices}
        for alias, code in self.aliases.items():
            if alias not in found[code]:
                found[code].append(alias)
        return found

    def describe(self) -> str:
        """The notes say every spelling that imports (written from the alias
        table, so the notes and the reader agree), then the help."""
        chinese = (translation.get_language() or "").startswith("zh")
        choices = ("；" if chinese else "; ").join(
            " / ".join(names) for names in self.spellings().values()
        )
        end = "。" if chinese else ". "
        return f"{choices}{end}{self.help}".strip()


@dataclass(frozen=True, kw_only=True)
class ChoiceList(Choice):
    """Several of `choices` in one cell, separated as in `TextList`, each
    read as `Choice` reads one; a code given twice counts once."""

    def read(self, value: Any) -> list[str]:
        codes: list[str] = []
        for part in split_list(value):
            code = self.parse(part)
            if code is None:
                raise self.fail(part)
            if code not in codes:
                codes.append(code)
        return codes


def _same_cell(column: Column, cell: Any, example: str) -> bool:
    if text_key(cell_text(cell)) == text_key(example):
        return True
    try:
        return bool(column.clean(cell) == column.clean(example))
    except Invalid:
        return False


@dataclass(frozen=True)
class SheetSpec:
    """A sheet an importer reads: named in a workbook by `name` (a fixed
    code), `zh` or `label`; its columns in the order the template writes
    them. Templates, import pages and results name it by `title`."""

    name: str
    zh: str
    label: Message
    columns: tuple[Column, ...]

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)

    def title(self, *, chinese: bool) -> str:
        """The sheet's name in a template and on the pages: `zh` in Chinese,
        the English `label` otherwise."""
        if chinese:
            return self.zh
        with translation.override("en"):
            return str(self.label)

    @property
    def shown(self) -> str:
        """The sheet's name in the current language, as the template names it."""
        return self.title(chinese=(translation.get_language() or "").startswith("zh"))

    def headings(self, *, chinese: bool) -> list[str]:
        return [c.heading_in(chinese=chinese) for c in self.columns]

    @property
    def other_names(self) -> list[str]:
        """The other names a workbook's sheet may have: the name in the other
        language and the fixed code, when they differ from `shown`."""
        seen = {heading_key(self.shown)}
        names = []
        for name in (self.title(chinese=False), self.zh, self.name):
            if heading_key(name) not in seen:
                seen.add(heading_key(name))
                names.append(name)
        return names

    def example(self) -> list[str]:
        """The template's example row, a cell per column (empty where the
        column declares no example)."""
        return [c.example_text() for c in self.columns]

    def is_example(self, cells: Mapping[str, Any], columns: Mapping[str, Column]) -> bool:
        """Whether a row's cells (by field, as written) are the template's
        example row, left as it was: every column read from the file holds
        the example's value (as read, so 发明专利 is invention_patent and a
        date Excel made a date is that date) or, with no example, nothing."""
        if not any(c.example for c in self.columns):
            return False
        matched = False
        for field, column in columns.items():
            cell = cells.get(field)
            example = column.example_text()
            if not example or cell is None or str(cell).strip() == "":
                if example or (cell is not None and str(cell).strip() != ""):
                    return False
                continue
            if not _same_cell(column, cell, example):
                return False
            matched = True
        return matched

    def titles(self) -> set[str]:
        """The sheet's names as compared (see `heading_key`)."""
        return {heading_key(t) for t in (self.name, self.zh, *in_every_language(self.label))}

    @cached_property
    def fields_by_heading(self) -> dict[str, str]:
        return {
            heading_key(name): column.field for column in self.columns for name in column.names()
        }
