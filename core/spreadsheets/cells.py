"""What people type into spreadsheet cells, read the ways Chinese and
English files write it: headings, text encodings, dates and times, amounts,
whole numbers and lists. The column types (`columns.py`) read cells through
these."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

BRACKETED = re.compile(r"[（(【\[].*?[）)】\]]")
CHINESE_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
# A date with an optional time of day: "2020-11-18 09:00", "2020年11月18日 9:00".
CHINESE_MOMENT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})[:：](\d{2}))?"
)
# Several values in one cell: commas (either width), 、, semicolons, new lines.
LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")


def text_key(text: str) -> str:
    """Text as compared: NFKC (full-width to ASCII), lower case, no spaces,
    underscores or hyphens."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s_\-]+", "", text)


def heading_key(text: str) -> str:
    return text_key(BRACKETED.sub("", text).replace("*", ""))


def cell_text(value: Any, *, normalize: bool = True) -> str:
    """A cell as text: a number Excel stored as 330000.0 reads "330000";
    NFKC turns full-width letters and digits into ASCII (`normalize`)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if normalize:
        text = unicodedata.normalize("NFKC", text)
    return text.strip()


def split_list(value: Any) -> list[str]:
    """The values of a cell that lists several."""
    return [part.strip() for part in LIST_SEPARATORS.split(cell_text(value)) if part.strip()]


def decode_text(data: bytes) -> str | None:
    """The text of a CSV file, or None when it is in no encoding we read."""
    # UTF-8 first (with or without the BOM Excel writes); then GB18030, a
    # superset of the GBK that Chinese Excel uses for "CSV (逗号分隔)".
    # Excel's "Unicode text" is UTF-16 with a BOM.
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = CHINESE_DATE.fullmatch(text) or COMPACT_DATE.fullmatch(text)
    if match is None:
        # "2020-03-01 00:00:00" from a CSV that Excel wrote with times.
        try:
            return dt.datetime.fromisoformat(text).date()
        except ValueError:
            return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_amount(value: Any, *, unit: int = 1) -> Decimal | None:
    """An amount in yuan. A number is in `unit` (10000 when its column is in
    万元); text may say its own unit (200万, 3.5亿, 500元)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value) * unit
    if isinstance(value, float):
        # Binary floats from Excel: round to fen, the precision of money here.
        return (Decimal(repr(value)) * unit).quantize(Decimal("0.01"))
    text = unicodedata.normalize("NFKC", str(value))
    text = re.sub(r"[\s,¥￥]", "", text)
    multiplier = unit
    if text.endswith("元"):
        text, multiplier = text[:-1], 1
    if text.endswith("万"):
        text, multiplier = text[:-1], 10_000
    elif text.endswith("亿"):
        text, multiplier = text[:-1], 100_000_000
    try:
        amount = Decimal(text) * multiplier
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def parse_whole(value: Any) -> int | None:
    """A whole number: 300, 300.0, "1,200" or "300人"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = re.sub(r"[\s,人]", "", unicodedata.normalize("NFKC", str(value)))
    return int(text) if re.fullmatch(r"[-+]?\d+", text) else None


def parse_moment(value: Any, *, default: dt.time) -> dt.datetime | None:
    """A date and time in the current time zone; a date alone is at `default`."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, default)
    else:
        match = CHINESE_MOMENT.fullmatch(cell_text(value))
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
