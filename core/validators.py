"""Validators for Chinese registration numbers: enterprises and IP rights.

Every error is a `ValidationError` with a stable `code`, so callers and tests
can branch on the code without rendering the (lazily translated) message.
Plain strings are used for IP kinds so this module never imports models.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "PATENT_KIND_DIGITS",
    "credit_code_check_char",
    "make_credit_code",
    "make_patent_number",
    "normalize_patent_number",
    "patent_check_digit",
    "patent_kind_digit",
    "validate_copyright_number",
    "validate_credit_code",
    "validate_ip_number",
    "validate_patent_number",
    "validate_software_copyright_number",
    "validate_trademark_number",
]

# ---------------------------------------------------------------------------
# Unified social credit code (统一社会信用代码), GB 32100-2015
# ---------------------------------------------------------------------------

# I, O, Z, S and V are left out by the standard because they are easily
# confused with 1, 0, 2, 5 and U.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_VALUES = {char: value for value, char in enumerate(CREDIT_CODE_ALPHABET)}
# Weight of position i is 3**i mod 31, as tabulated in the standard.
_CREDIT_CODE_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_CREDIT_CODE_LENGTH = 18


def _require_credit_code_body(first17: str) -> None:
    # Programmer errors (bad demo data), not user input: ValueError, not ValidationError.
    if len(first17) != _CREDIT_CODE_LENGTH - 1:
        raise ValueError(f"expected 17 characters, got {len(first17)}: {first17!r}")
    bad = sorted({c for c in first17 if c not in _CREDIT_CODE_VALUES})
    if bad:
        raise ValueError(f"characters outside the credit-code alphabet: {bad!r}")


def credit_code_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a credit code."""
    _require_credit_code_body(first17)
    total = sum(
        _CREDIT_CODE_VALUES[char] * weight
        for char, weight in zip(first17, _CREDIT_CODE_WEIGHTS, strict=True)
    )
    # 31 - (total mod 31) lies in 1..31; the standard writes 31 as "0".
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def make_credit_code(first17: str) -> str:
    """A complete credit code: `first17` plus its check character (for demo data)."""
    return first17 + credit_code_check_char(first17)


def validate_credit_code(value: str) -> None:
    """Reject anything that is not a well-formed, check-summed credit code.

    Only upper case is accepted: the model stores the canonical upper-case form,
    so normalising is the form's job, not the validator's.
    """
    if len(value) != _CREDIT_CODE_LENGTH:
        raise ValidationError(
            _("A unified social credit code has exactly 18 characters (this one has %(length)d)."),
            code="credit_code_length",
            params={"length": len(value)},
        )
    if any(char not in _CREDIT_CODE_VALUES for char in value):
        raise ValidationError(
            _(
                "A unified social credit code may contain only digits and upper-case "
                "letters other than I, O, S, V and Z."
            ),
            code="credit_code_character",
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _(
                "The last character of this unified social credit code does not match its "
                "check character; please check the code for typing errors."
            ),
            code="credit_code_checksum",
        )


# ---------------------------------------------------------------------------
# Chinese patent application numbers (专利申请号)
# ---------------------------------------------------------------------------

# Type digits in use: 1 invention, 2 utility model, 3 design; 8 and 9 are PCT
# applications entering the Chinese national phase as invention / utility model.
PATENT_KIND_DIGITS = frozenset({1, 2, 3, 8, 9})

# Weights 2..9 repeat from the left; for 12 digits that is 2..9, 2..5.
_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9)
# Old format: YY + type + 5-digit serial; new format (from 1 Oct 2003):
# YYYY + type + 7-digit serial.
_PATENT_OLD_LENGTH = 8
_PATENT_NEW_LENGTH = 12
# Whitespace anywhere (incl. full-width U+3000) is noise people copy from PDFs.
_WHITESPACE = re.compile(r"\s+")
_PATENT_SHAPE = re.compile(r"(?P<digits>[0-9]+)\.(?P<check>[0-9X])")
# The Chinese Patent Law took effect on 1 April 1985.
_FIRST_PATENT_YEAR = 1985
# The 12-digit format started in October 2003; the 8-digit one ran until then.
_NEW_FORMAT_FIRST_YEAR = 2003


def patent_check_digit(digits: str) -> str:
    """Check digit for the 8 or 12 digits before the dot ("X" stands for 10)."""
    if len(digits) not in (_PATENT_OLD_LENGTH, _PATENT_NEW_LENGTH) or not (
        digits.isascii() and digits.isdigit()
    ):
        raise ValueError(f"expected 8 or 12 ASCII digits, got {digits!r}")
    total = sum(
        int(digit) * _PATENT_WEIGHTS[i % len(_PATENT_WEIGHTS)] for i, digit in enumerate(digits)
    )
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def normalize_patent_number(value: str) -> str:
    """Canonical "YYYYTNNNNNNN.C" (or old "YYTNNNNN.C") form of a patent number.

    Accepts an optional "CN"/"ZL" prefix, any spacing and a lower-case "x".
    Only the shape is checked here; `validate_patent_number` checks the rest.
    """
    compact = _WHITESPACE.sub("", value).upper()
    # "ZL" marks a granted patent; the number itself is the application number.
    if compact.startswith(("CN", "ZL")):
        compact = compact[2:]
    match = _PATENT_SHAPE.fullmatch(compact)
    if match is None:
        raise ValidationError(
            _(
                'A patent number looks like "202010123456.7" or "98123456.X": digits, '
                'a dot and a check digit, optionally preceded by "CN" or "ZL".'
            ),
            code="patent_format",
        )
    digits = match["digits"]
    if len(digits) not in (_PATENT_OLD_LENGTH, _PATENT_NEW_LENGTH):
        raise ValidationError(
            _(
                "A patent number has 12 digits before the dot (8 for applications filed "
                "before October 2003); this one has %(length)d."
            ),
            code="patent_length",
            params={"length": len(digits)},
        )
    return f"{digits}.{match['check']}"


def _kind_digit_of(canonical: str) -> int:
    # The type digit follows the year: 4 year digits now, 2 in the old format.
    return int(canonical[4] if canonical.index(".") == _PATENT_NEW_LENGTH else canonical[2])


def _filing_year_of(canonical: str) -> int:
    if canonical.index(".") == _PATENT_NEW_LENGTH:
        return int(canonical[:4])
    # Old numbers were only issued 1985-2003, so only 00-03 can mean the 2000s.
    two_digit = int(canonical[:2])
    return 2000 + two_digit if two_digit <= _NEW_FORMAT_FIRST_YEAR % 100 else 1900 + two_digit


def patent_kind_digit(number: str) -> int:
    """The application-type digit (1, 2, 3, 8 or 9) of a patent number in any accepted form."""
    return _kind_digit_of(normalize_patent_number(number))


def validate_patent_number(value: str) -> None:
    """Reject a patent number with a bad shape, type digit, year or check digit."""
    canonical = normalize_patent_number(value)
    digits, check = canonical.split(".")
    if _kind_digit_of(canonical) not in PATENT_KIND_DIGITS:
        raise ValidationError(
            _(
                "The application-type digit of a patent number must be 1 (invention), "
                "2 (utility model), 3 (design), 8 or 9 (PCT); %(digit)s is not used."
            ),
            code="patent_kind",
            params={"digit": _kind_digit_of(canonical)},
        )
    year = _filing_year_of(canonical)
    is_new_format = len(digits) == _PATENT_NEW_LENGTH
    # Catches typos such as "199810..." that are shaped right but cannot exist.
    if (is_new_format and year < _NEW_FORMAT_FIRST_YEAR) or (
        not is_new_format and not _FIRST_PATENT_YEAR <= year <= _NEW_FORMAT_FIRST_YEAR
    ):
        raise ValidationError(
            _(
                "The filing year %(year)d does not fit this number format: 12-digit numbers "
                "start in 2003, 8-digit numbers cover 1985–2003."
            ),
            code="patent_year",
            params={"year": year},
        )
    if year > timezone.localdate().year:
        raise ValidationError(
            _("The filing year %(year)d lies in the future; please check the number."),
            code="patent_year_future",
            params={"year": year},
        )
    if patent_check_digit(digits) != check:
        raise ValidationError(
            _(
                "The check digit after the dot does not match this patent number; "
                "please check the number for typing errors."
            ),
            code="patent_checksum",
        )


def make_patent_number(year: int, kind_digit: int, serial: int) -> str:
    """A valid canonical patent number (for demo data).

    Years from 2003 get the 12-digit format. Old-format numbers from January to
    September 2003 exist but cannot be generated here; nobody needs them for demos.
    """
    if kind_digit not in PATENT_KIND_DIGITS:
        raise ValueError(
            f"kind_digit must be one of {sorted(PATENT_KIND_DIGITS)}, got {kind_digit}"
        )
    if year >= _NEW_FORMAT_FIRST_YEAR:
        if year > 9999 or not 0 <= serial <= 9_999_999:
            raise ValueError(f"year {year} / serial {serial} do not fit the 12-digit format")
        digits = f"{year:04d}{kind_digit}{serial:07d}"
    elif year >= _FIRST_PATENT_YEAR:
        if not 0 <= serial <= 99_999:
            raise ValueError(f"serial {serial} does not fit the 8-digit format (max 99999)")
        digits = f"{year % 100:02d}{kind_digit}{serial:05d}"
    else:
        raise ValueError(f"no Chinese patents were filed in {year}")
    return f"{digits}.{patent_check_digit(digits)}"


# ---------------------------------------------------------------------------
# Other IP registration numbers: shape only, no public check-digit scheme
# ---------------------------------------------------------------------------

_TRADEMARK = re.compile(r"[0-9]{1,8}")
# National registrations use 国; provincial offices use their one-character
# abbreviation (e.g. 黔作登字). The letter is the work category, A (written
# works) to L (other).
_COPYRIGHT = re.compile(r"[\u4e00-\u9fff]作登字-(?:19|20)[0-9]{2}-[A-L]-[0-9]{8}")
# Registration number, not the certificate number (软著登字第…号).
_SOFTWARE_COPYRIGHT = re.compile(r"(?:19|20)[0-9]{2}SR[0-9]{6,7}")


def validate_trademark_number(value: str) -> None:
    """A trademark registration number: 1 to 8 digits."""
    # fullmatch plus the ASCII range keeps out full-width and other Unicode digits.
    if _TRADEMARK.fullmatch(value) is None:
        raise ValidationError(
            _("A trademark registration number consists of 1 to 8 digits."),
            code="trademark_format",
        )


def validate_copyright_number(value: str) -> None:
    """A work registration number such as "国作登字-2020-F-01234567"."""
    if _COPYRIGHT.fullmatch(value) is None:
        raise ValidationError(
            _(
                'A copyright registration number looks like "国作登字-2020-F-01234567": '
                "office, year, category letter A–L and an 8-digit serial."
            ),
            code="copyright_format",
        )


def validate_software_copyright_number(value: str) -> None:
    """A software copyright registration number such as "2020SR0123456"."""
    if _SOFTWARE_COPYRIGHT.fullmatch(value) is None:
        raise ValidationError(
            _(
                'A software copyright registration number looks like "2020SR0123456": '
                'year, "SR" and a 6- or 7-digit serial.'
            ),
            code="software_copyright_format",
        )


# ---------------------------------------------------------------------------
# Dispatcher by IP kind (the codes of core.models.IPKind.Code)
# ---------------------------------------------------------------------------

# Which type digits each patent kind may carry: PCT entries count as their
# domestic counterpart.
_PATENT_KIND_ALLOWED_DIGITS: dict[str, frozenset[int]] = {
    "invention_patent": frozenset({1, 8}),
    "utility_model": frozenset({2, 9}),
    "design_patent": frozenset({3}),
}
_PATENT_KIND_MISMATCH_MESSAGES = {
    "invention_patent": _(
        "This is not an invention patent number: its type digit is %(digit)s, "
        "but invention patents use 1 (or 8 for PCT applications)."
    ),
    "utility_model": _(
        "This is not a utility model patent number: its type digit is %(digit)s, "
        "but utility models use 2 (or 9 for PCT applications)."
    ),
    "design_patent": _(
        "This is not a design patent number: its type digit is %(digit)s, but design patents use 3."
    ),
}
_OTHER_IP_VALIDATORS: dict[str, Callable[[str], None]] = {
    "trademark": validate_trademark_number,
    "copyright": validate_copyright_number,
    "software_copyright": validate_software_copyright_number,
}


def validate_ip_number(kind: str, number: str) -> None:
    """Validate `number` as a registration number of IP kind `kind`.

    For patents this also checks that the type digit fits the kind, so an
    invention cannot be filed under a utility-model number.
    """
    if kind in _PATENT_KIND_ALLOWED_DIGITS:
        validate_patent_number(number)
        digit = patent_kind_digit(number)
        if digit not in _PATENT_KIND_ALLOWED_DIGITS[kind]:
            raise ValidationError(
                _PATENT_KIND_MISMATCH_MESSAGES[kind],
                code="patent_kind_mismatch",
                params={"digit": digit},
            )
        return
    validator = _OTHER_IP_VALIDATORS.get(kind)
    if validator is None:
        # A ValidationError rather than a crash: Model.clean() still runs after
        # an invalid choice has been reported on the kind field.
        raise ValidationError(
            _("Unknown kind of intellectual property: %(kind)s."),
            code="ip_kind_unknown",
            params={"kind": kind},
        )
    validator(number)
