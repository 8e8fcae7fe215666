"""Pseudonymous client references, and the identifiers that must never be used as one.

Client records hold a local reference only. A reference that is really an NHS number or a
date of birth would turn every Slack message and log line into personal data, so those
are refused at the door with the reason.
"""

from __future__ import annotations

import re
from datetime import date

from caseload.settings import get_settings

_DIGITS_WITH_SPACES = re.compile(r"(?<![0-9])(?:[0-9][ -]?){9}[0-9](?![0-9])")
_DATE_LIKE = re.compile(
    r"(?<![0-9])(?:[0-3]?[0-9][-/. ][01]?[0-9][-/. ](?:19|20)?[0-9]{2}"
    r"|(?:19|20)[0-9]{2}[-/. ][01]?[0-9][-/. ][0-3]?[0-9])(?![0-9])"
)


def is_nhs_number(candidate: str) -> bool:
    """True for 10 digits (spaces or hyphens allowed) that pass the NHS modulus 11 check.

    The check digit is 11 minus the weighted sum (weights 10..2) mod 11, with 11 read as 0
    and 10 meaning the number is invalid (NHS Data Dictionary, "NHS Number").
    """
    digits = re.sub(r"[ -]", "", candidate)
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def contains_nhs_number(text: str) -> bool:
    return any(is_nhs_number(m.group(0)) for m in _DIGITS_WITH_SPACES.finditer(text))


# Eight digits run together (12031985, 19850312) are a date too when they make one.
_EIGHT_DIGITS = re.compile(r"(?<![0-9])[0-9]{8}(?![0-9])")


def _is_calendar_date(digits: str) -> bool:
    for day, month, year in ((digits[:2], digits[2:4], digits[4:]),
                             (digits[6:], digits[4:6], digits[:4])):
        if year[:2] not in ("19", "20"):
            continue
        try:
            date(int(year), int(month), int(day))
        except ValueError:
            continue
        return True
    return False


def looks_like_date(text: str) -> bool:
    return bool(_DATE_LIKE.search(text)) or any(
        _is_calendar_date(m.group(0)) for m in _EIGHT_DIGITS.finditer(text))


def client_reference_problem(reference: str, pattern: str | None = None) -> str | None:
    """Why `reference` cannot be used, or None when it is acceptable."""
    pattern = pattern or get_settings().client_reference_pattern
    if contains_nhs_number(reference):
        return (
            "this looks like an NHS number. Use your team's local client reference: "
            "identifiers such as NHS numbers must stay out of IPS Assist and Slack"
        )
    if looks_like_date(reference):
        return (
            "this looks like a date (of birth?). Use your team's local client reference: "
            "identifiers must stay out of IPS Assist and Slack"
        )
    if not re.fullmatch(pattern, reference):
        return (
            "must be your team's local client reference: 3 to 20 letters, digits or hyphens"
            if pattern == r"^[A-Za-z0-9-]{3,20}$"
            else f"must match the configured client reference pattern {pattern}"
        )
    return None


def free_text_problem(text: str) -> str | None:
    """Free-text notes are echoed to Slack, so an NHS number in them is refused too."""
    if contains_nhs_number(text):
        return "contains what looks like an NHS number; keep identifiers out of notes"
    return None
