"""Reading what people type into spreadsheets: headings, text encodings,
dates and amounts in the ways Chinese and English files write them. Every
import (an enterprise's IP list, a bureau's report) reads cells through these."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

BRACKETED = re.compile(r"[（(【\[].*?[）)】\]]")
CHINESE_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def text_key(text: str) -> str:
    """Text as compared: NFKC (full-width to ASCII), lower case, no spaces,
    underscores or hyphens."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s_\-]+", "", text)


def heading_key(text: str) -> str:
    return text_key(BRACKETED.sub("", text).replace("*", ""))


def decode_text(data: bytes) -> str | None:
    """The text of a CSV file, or None when it is in no encoding we read."""
    # UTF-8 first (with or without the BOM Excel writes); then GB18030, a
    # superset of the GBK that Chinese Excel uses for "CSV (逗号分隔)".
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
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


def parse_amount(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Binary floats from Excel: round to fen, the precision of money here.
        return Decimal(repr(value)).quantize(Decimal("0.01"))
    text = unicodedata.normalize("NFKC", str(value))
    text = re.sub(r"[\s,¥￥]", "", text)
    multiplier = 1
    if text.endswith("元"):
        text = text[:-1]
    if text.endswith("万"):
        text, multiplier = text[:-1], 10_000
    elif text.endswith("亿"):
        text, multiplier = text[:-1], 100_000_000
    try:
        amount = Decimal(text) * multiplier
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None
