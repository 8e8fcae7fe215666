"""How the bot and the clock ask for a calculation: the service when CALCULATOR_URL is set,
the engine in this process when it is not. Either way the answer is the API's JSON.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from calculator.web.serialize import CalculatorInputError, answer
from calculator.web.settings import get_calculator_settings

__all__ = ["CalculatorClient", "CalculatorInputError", "CalculatorUnavailable"]


class CalculatorUnavailable(Exception):
    """The service could not be reached or failed; the message says which."""


@dataclass
class CalculatorClient:
    url: str | None = None
    token: str | None = None
    timeout_seconds: float = 5.0

    @classmethod
    def from_settings(cls) -> CalculatorClient:
        settings = get_calculator_settings()
        return cls(settings.calculator_url, settings.calculator_api_token)

    def better_off(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._post("/v1/better-off", body) if self.url else answer("better-off", body)

    def sweep(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._post("/v1/sweep", body) if self.url else answer("sweep", body)

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        assert self.url is not None
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(
            self.url.rstrip("/") + path,
            data=json.dumps(body, default=str).encode(),
            headers=headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            payload = _json_or_none(exc.read())
            if exc.code == 422 and payload and "errors" in payload:
                raise CalculatorInputError(payload["errors"]) from None
            raise CalculatorUnavailable(f"the calculator answered {exc.code} at {self.url}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise CalculatorUnavailable(
                f"the calculator at {self.url} could not be reached ({exc})"
            ) from None


def _json_or_none(raw: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
