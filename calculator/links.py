"""Links from Slack to the calculator's pages.

A link carries only an opaque id: the answers given in Slack are kept by the record
(caseload/calculator_links.py), bound to the person it was made for, good for minutes and for
one use. The page it opens asks the signed-in person to confirm before showing the result.
"""

from __future__ import annotations

from urllib.parse import quote

from calculator.settings import CalculatorSettings


def result_page_link(settings: CalculatorSettings, link_id: str) -> str | None:
    """Where the link with this id opens; None when the pages have no public address."""
    if not settings.calculator_public_url:
        return None
    return f"{settings.calculator_public_url.rstrip('/')}/link/{quote(link_id, safe='')}"
