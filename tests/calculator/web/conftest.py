"""An app per test, with settings given here rather than read from the environment."""

from __future__ import annotations

from collections.abc import Iterator

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
