"""Client references: the local pseudonym is accepted; NHS numbers and dates are not."""

import pytest

from caseload.references import (
    client_reference_problem,
    contains_nhs_number,
    free_text_problem,
    is_nhs_number,
)


# 943 476 5919 is the NHS Data Dictionary's worked example of a valid NHS number.
@pytest.mark.parametrize("candidate", ["9434765919", "943 476 5919", "943-476-5919"])
def test_valid_nhs_numbers_are_recognised(candidate: str) -> None:
    assert is_nhs_number(candidate)


@pytest.mark.parametrize(
    "candidate",
    [
        "9434765918",  # wrong check digit
        "943476591",  # nine digits
        "94347659190",  # eleven digits
        "ABC4765919",
        "1000000010",  # weighted sum leaves check digit 10: never issued
    ],
)
def test_other_digit_strings_are_not_nhs_numbers(candidate: str) -> None:
    assert not is_nhs_number(candidate)


def test_nhs_number_inside_text_is_found() -> None:
    assert contains_nhs_number("seen today, NHS no 943 476 5919, keen on retail")
    assert not contains_nhs_number("phoned 3 employers about 12 hours a week")


@pytest.mark.parametrize("reference", ["ABC", "SUS-0042", "brighton-17", "X" * 20])
def test_local_references_are_accepted(reference: str) -> None:
    assert client_reference_problem(reference) is None


def test_nhs_number_reference_is_refused_with_the_reason() -> None:
    problem = client_reference_problem("9434765919")
    assert problem is not None
    assert "NHS number" in problem
    assert "identifiers" in problem


@pytest.mark.parametrize("reference", ["01-02-1980", "12031985", "19850312", "SF-12031985"])
def test_date_of_birth_reference_is_refused(reference: str) -> None:
    problem = client_reference_problem(reference)
    assert problem is not None and "date" in problem


@pytest.mark.parametrize("reference", ["12345678", "99991234", "SUS-00420042"])
def test_eight_digits_that_make_no_date_are_accepted(reference: str) -> None:
    assert client_reference_problem(reference) is None


@pytest.mark.parametrize("reference", ["AB", "X" * 21, "has space", "semi;colon", ""])
def test_references_outside_the_pattern_are_refused(reference: str) -> None:
    problem = client_reference_problem(reference)
    assert problem is not None
    assert "3 to 20 letters, digits or hyphens" in problem


def test_configured_pattern_is_honoured() -> None:
    assert client_reference_problem("SUS1234", pattern=r"^SUS[0-9]{4}$") is None
    problem = client_reference_problem("ABC1234", pattern=r"^SUS[0-9]{4}$")
    assert problem is not None and "^SUS[0-9]{4}$" in problem


def test_free_text_with_an_nhs_number_is_refused() -> None:
    assert free_text_problem("NHS 9434765919") is not None
    assert free_text_problem("Wants work in a bakery") is None
