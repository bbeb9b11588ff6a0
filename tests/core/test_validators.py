"""Tests for core.validators.

Errors are compared by `.code` only: rendering a lazily translated message
would need configured settings, and the codes are the stable contract anyway.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    credit_code_check_char,
    make_credit_code,
    make_patent_number,
    normalize_patent_number,
    patent_check_digit,
    patent_kind_digit,
    validate_copyright_number,
    validate_credit_code,
    validate_ip_number,
    validate_patent_number,
    validate_software_copyright_number,
    validate_trademark_number,
)


def error_code(validator: Callable[..., None], *args: str) -> str | None:
    """The ValidationError code `validator` raises, or None when it accepts."""
    try:
        validator(*args)
    except ValidationError as exc:
        return exc.code
    return None


# ---------------------------------------------------------------------------
# Unified social credit code
# ---------------------------------------------------------------------------

# Real, published codes of well-known companies; each one was checked against
# the implementation rather than assumed.
REAL_CREDIT_CODES = [
    pytest.param("914403001922038216", id="huawei-technologies"),
    pytest.param("91440300708461136T", id="shenzhen-tencent-computer-systems"),
    pytest.param("91330100799655058B", id="alibaba-china"),
    pytest.param("91110108558521630L", id="xiaomi-communications"),
    pytest.param("91440300192317458F", id="byd"),
]


@pytest.mark.parametrize("code", REAL_CREDIT_CODES)
def test_it_accepts_real_published_credit_codes(code: str) -> None:
    assert error_code(validate_credit_code, code) is None


@pytest.mark.parametrize("code", REAL_CREDIT_CODES)
def test_it_computes_the_published_check_character(code: str) -> None:
    assert credit_code_check_char(code[:17]) == code[17]


def test_it_writes_a_check_value_of_31_as_zero() -> None:
    # This body's weighted sum is a multiple of 31, so 31 - 0 = 31 -> "0".
    assert credit_code_check_char("9144030000000000G") == "0"
    assert error_code(validate_credit_code, "9144030000000000G0") is None


def test_make_credit_code_appends_the_check_character() -> None:
    assert make_credit_code("91440300192203821") == "914403001922038216"
    assert error_code(validate_credit_code, make_credit_code("91110000ABCDEFGHJ")) is None


@pytest.mark.parametrize(
    "body",
    [
        "9144030019220382",
        "914403001922038216",
        "9144030019220382I",
        "9144030019220382o",
    ],
)
def test_make_credit_code_refuses_a_bad_body(body: str) -> None:
    with pytest.raises(ValueError):
        make_credit_code(body)


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038217",  # Huawei with the check character changed 6 -> 7
        "91440300708461136U",  # Tencent, T -> U
        "914403001922038261",  # Huawei, last two characters swapped
    ],
)
def test_it_rejects_a_wrong_check_character(code: str) -> None:
    assert error_code(validate_credit_code, code) == "credit_code_checksum"


@pytest.mark.parametrize(
    "code",
    [
        "91440300192203821",  # 17 characters
        "9144030019220382166",  # 19 characters
        "",
    ],
)
def test_it_rejects_a_credit_code_of_the_wrong_length(code: str) -> None:
    assert error_code(validate_credit_code, code) == "credit_code_length"


@pytest.mark.parametrize(
    "code",
    [
        "9144030019220382I6",  # I is excluded from the alphabet
        "91440300O92203821" + "6",  # so is O
        "91440300192203821S",  # and S
        "91440300708461136t",  # lower case: the model stores upper case only
        "91440300-922038216",
        "９14403001922038216",  # full-width digit
    ],
)
def test_it_rejects_a_credit_code_with_an_invalid_character(code: str) -> None:
    assert error_code(validate_credit_code, code) == "credit_code_character"


# ---------------------------------------------------------------------------
# Patent application numbers
# ---------------------------------------------------------------------------

# Real application numbers, each read from a public patent record and checked
# against the implementation.
REAL_PATENT_NUMBERS = [
    # 12-digit format (filed from October 2003)
    pytest.param("201210213176.6", 1, id="tencent-CN103517202B"),
    pytest.param("201310092437.8", 1, id="xiaomi-CN103164246B"),
    pytest.param("201110144387.4", 1, id="geely-CN102285377A"),
    pytest.param("200310116725.9", 1, id="huawei-CN100365968C"),
    pytest.param("201280017678.X", 8, id="microsoft-pct-CN103460723B"),
    pytest.param("201520546560.7", 2, id="utility-model-CN205012521U"),
    # 8-digit format (filed before October 2003)
    pytest.param("03101340.6", 1, id="huawei-CN1516463A"),
    pytest.param("02100607.5", 1, id="huawei-CN1192529C"),
    pytest.param("00816422.3", 8, id="pct-CN1157005C"),
]


@pytest.mark.parametrize(("number", "kind_digit"), REAL_PATENT_NUMBERS)
def test_it_accepts_real_published_patent_numbers(number: str, kind_digit: int) -> None:
    assert error_code(validate_patent_number, number) is None
    assert patent_kind_digit(number) == kind_digit


@pytest.mark.parametrize(("number", "kind_digit"), REAL_PATENT_NUMBERS)
def test_it_computes_the_published_patent_check_digit(number: str, kind_digit: int) -> None:
    digits, check = number.split(".")
    assert patent_check_digit(digits) == check


def test_a_constructed_design_patent_number_is_valid() -> None:
    """No real design-patent number was found to verify against, so this one is
    built with the generator (2020, design, serial 123456)."""
    number = make_patent_number(2020, 3, 123456)
    assert number == "202030123456.3"
    assert error_code(validate_patent_number, number) is None
    assert patent_kind_digit(number) == 3


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("201210213176.6", "201210213176.6"),
        ("CN201210213176.6", "201210213176.6"),
        ("ZL201210213176.6", "201210213176.6"),
        ("CN 2012 1 0213176.6", "201210213176.6"),
        ("  zl 201280017678.x ", "201280017678.X"),
        ("ZL\u300003101340.6", "03101340.6"),  # ideographic space from a PDF
    ],
)
def test_it_normalizes_prefixes_spaces_and_a_lower_case_x(raw: str, canonical: str) -> None:
    assert normalize_patent_number(raw) == canonical
    assert error_code(validate_patent_number, raw) is None


@pytest.mark.parametrize(
    "number",
    [
        "201210213176.7",  # Tencent, 6 -> 7
        "201280017678.0",  # Microsoft, X -> 0
        "201210231376.6",  # two serial digits transposed
        "03101340.X",
    ],
)
def test_it_rejects_a_wrong_patent_check_digit(number: str) -> None:
    assert error_code(validate_patent_number, number) == "patent_checksum"


def test_it_rejects_an_unused_patent_type_digit() -> None:
    # The check digit is right, so only the type digit 4 can be at fault.
    digits = "202040123456"
    number = f"{digits}.{patent_check_digit(digits)}"
    assert error_code(validate_patent_number, number) == "patent_kind"


@pytest.mark.parametrize(
    "number",
    [
        "20121021317.6",  # 11 digits
        "2012102131766.6",  # 13 digits
        "9810123.4",  # 7 digits
        "CN1.0",
    ],
)
def test_it_rejects_a_patent_number_of_the_wrong_length(number: str) -> None:
    assert error_code(validate_patent_number, number) == "patent_length"


@pytest.mark.parametrize(
    "number",
    [
        "20121021317A.6",  # a letter among the digits
        "201210213176.Y",  # check must be a digit or X
        "201210213176",  # no dot and check digit
        "201210213176.66",
        "US201210213176.6",  # only CN / ZL prefixes
        "CN201210213176.6A",  # publication kind code copied along
        "",
    ],
)
def test_it_rejects_a_malformed_patent_number(number: str) -> None:
    assert error_code(validate_patent_number, number) == "patent_format"


@pytest.mark.parametrize(
    "digits",
    [
        "199810123456",  # 12-digit numbers start in 2003
        "84123456",  # the Patent Law took effect in 1985
        "04123456",  # the 8-digit format ended in 2003
    ],
)
def test_it_rejects_a_filing_year_that_does_not_fit_the_format(digits: str) -> None:
    number = f"{digits}.{patent_check_digit(digits)}"
    assert error_code(validate_patent_number, number) == "patent_year"


@pytest.mark.parametrize("digits", ["2012102131", "2012102131766", "20121021317A", ""])
def test_patent_check_digit_refuses_input_that_is_not_8_or_12_digits(
    digits: str,
) -> None:
    with pytest.raises(ValueError):
        patent_check_digit(digits)


@pytest.mark.parametrize(
    ("year", "kind_digit", "serial", "expected"),
    [
        (2020, 3, 123456, "202030123456.3"),
        (2021, 1, 4, "202110000004.X"),  # check value 10 is written X
        (1998, 1, 23456, "98123456.9"),
        (2012, 1, 213176, "201210213176.6"),  # reproduces Tencent's real number
        (2003, 1, 116725, "200310116725.9"),  # reproduces Huawei's real number
    ],
)
def test_make_patent_number_builds_valid_canonical_numbers(
    year: int, kind_digit: int, serial: int, expected: str
) -> None:
    assert make_patent_number(year, kind_digit, serial) == expected
    assert error_code(validate_patent_number, expected) is None


@pytest.mark.parametrize(
    ("year", "kind_digit", "serial"),
    [
        (2020, 4, 1),  # unused type digit
        (2020, 1, 10_000_000),  # serial too long for 7 digits
        (1998, 1, 100_000),  # serial too long for 5 digits
        (1984, 1, 1),  # before the Patent Law
        (2020, 1, -1),
    ],
)
def test_make_patent_number_refuses_impossible_input(
    year: int, kind_digit: int, serial: int
) -> None:
    with pytest.raises(ValueError):
        make_patent_number(year, kind_digit, serial)


# ---------------------------------------------------------------------------
# Trademarks and copyrights
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["45123456", "1", "6543210"])
def test_it_accepts_trademark_numbers_of_one_to_eight_digits(number: str) -> None:
    assert error_code(validate_trademark_number, number) is None


@pytest.mark.parametrize("number", ["", "123456789", "4512345A", " 4512345", "４５１２３４５６"])
def test_it_rejects_a_malformed_trademark_number(number: str) -> None:
    assert error_code(validate_trademark_number, number) == "trademark_format"


@pytest.mark.parametrize(
    "number",
    [
        "国作登字-2020-F-01234567",
        "国作登字-2021-L-00268255",  # seen in a public repository's header
        "黔作登字-2023-A-00854088",  # a provincial office's number
    ],
)
def test_it_accepts_copyright_registration_numbers(number: str) -> None:
    assert error_code(validate_copyright_number, number) is None


@pytest.mark.parametrize(
    "number",
    [
        "国作登字-2020-M-01234567",  # category letters stop at L
        "国作登字-2020-f-01234567",
        "国作登字-2020-F-1234567",  # 7-digit serial
        "国作登字2020F01234567",
        "作登字-2020-F-01234567",
        "国作登字-20-F-01234567",
        "2020SR0123456",
    ],
)
def test_it_rejects_a_malformed_copyright_number(number: str) -> None:
    assert error_code(validate_copyright_number, number) == "copyright_format"


@pytest.mark.parametrize(
    "number",
    [
        "2020SR0123456",
        "2016SR172900",  # 6-digit serials were used in earlier years
        "2014SR001852",
    ],
)
def test_it_accepts_software_copyright_registration_numbers(number: str) -> None:
    assert error_code(validate_software_copyright_number, number) is None


@pytest.mark.parametrize(
    "number",
    [
        "2020sr0123456",
        "2020SR12345",  # 5 digits
        "2020SR01234567",  # 8 digits
        "SR0123456",
        "20SR0123456",
        "软著登字第0671096号",  # the certificate number, not the registration number
    ],
)
def test_it_rejects_a_malformed_software_copyright_number(number: str) -> None:
    code = error_code(validate_software_copyright_number, number)
    assert code == "software_copyright_format"


# ---------------------------------------------------------------------------
# Dispatcher
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        ("invention_patent", "ZL201210213176.6"),
        ("invention_patent", "201280017678.X"),  # PCT invention (8)
        ("invention_patent", "00816422.3"),  # old-format PCT invention
        ("utility_model", "201520546560.7"),
        # No real PCT utility-model or design number was verified; these are built.
        ("utility_model", make_patent_number(2019, 9, 42)),
        ("design_patent", make_patent_number(2020, 3, 123456)),
        ("trademark", "45123456"),
        ("copyright", "国作登字-2020-F-01234567"),
        ("software_copyright", "2020SR0123456"),
    ],
)
def test_validate_ip_number_accepts_a_number_of_the_right_kind(kind: str, number: str) -> None:
    assert error_code(validate_ip_number, kind, number) is None


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        ("utility_model", "201210213176.6"),  # an invention number
        ("design_patent", "201210213176.6"),
        ("invention_patent", "201520546560.7"),  # a utility-model number
        ("invention_patent", make_patent_number(2020, 3, 123456)),  # a design number
        ("utility_model", "201280017678.X"),  # a PCT invention number
    ],
)
def test_validate_ip_number_rejects_a_patent_of_another_kind(kind: str, number: str) -> None:
    assert error_code(validate_ip_number, kind, number) == "patent_kind_mismatch"


@pytest.mark.parametrize(
    ("kind", "number", "code"),
    [
        ("invention_patent", "201210213176.7", "patent_checksum"),
        ("trademark", "123456789", "trademark_format"),
        ("copyright", "2020SR0123456", "copyright_format"),
        ("software_copyright", "国作登字-2020-F-01234567", "software_copyright_format"),
    ],
)
def test_validate_ip_number_reports_the_underlying_error(kind: str, number: str, code: str) -> None:
    assert error_code(validate_ip_number, kind, number) == code


@pytest.mark.parametrize("kind", ["patent", "", "INVENTION_PATENT"])
def test_validate_ip_number_rejects_an_unknown_kind(kind: str) -> None:
    assert error_code(validate_ip_number, kind, "45123456") == "ip_kind_unknown"
