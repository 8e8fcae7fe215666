"""An app per test, with settings given here rather than read from the environment."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient

from calculator.settings import CalculatorSettings
from calculator.web import create_app


def settings(**overrides: object) -> CalculatorSettings:
    base: dict[str, object] = {
        "calculator_api_token": None,
        "calculator_url": None,
        "calculator_link_secret": None,
        "calculator_rate_limit_per_minute": 100_000,
    }
    return CalculatorSettings(_env_file=None, **{**base, **overrides})  # type: ignore[arg-type]


@pytest.fixture
def app() -> Iterator[Flask]:
    yield create_app(settings())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def error_links(page: str) -> dict[str, str]:
    """The error summary's links, in order: field id -> the words shown."""
    summary = page.split('class="nhsuk-error-summary"', 1)[1].split("</ul>", 1)[0] if (
        'class="nhsuk-error-summary"' in page
    ) else ""
    return {
        field: html.unescape(" ".join(words.split()))
        for field, words in re.findall(r'<a href="#(\w+)"[^>]*>(.*?)</a>', summary, re.S)
    }


def label_of(page: str, field: str) -> str | None:
    """The words of the <label> for a field, or None when there is none."""
    found = re.search(rf'<label\b[^>]*\bfor="{field}"[^>]*>(.*?)</label>', page, re.S)
    return html.unescape(" ".join(found.group(1).split())) if found else None


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str | None]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.by_id[str(found["id"])] = {"tag": tag, **found}


def tag(page: str, element_id: str) -> dict[str, str | None]:
    """The opening tag with this id, as its attributes (and "tag": the element's name)."""
    parser = _Tags()
    parser.feed(page)
    return parser.by_id[element_id]


def row(page: str, element_id: str) -> str:
    """The inside of the table row with this id."""
    found = re.search(rf'<tr [^>]*id="{element_id}"[^>]*>(.*?)</tr>', page, re.S)
    assert found, f"no row {element_id}"
    return found.group(1)
