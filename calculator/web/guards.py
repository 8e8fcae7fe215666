"""What keeps the JSON API safe to expose: a bearer token, a body limit, a rate limit."""

from __future__ import annotations

import hmac
import threading
import time
from collections import defaultdict

from flask import Flask, Request, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from calculator.settings import CalculatorSettings
from calculator.web.frontend import error_page


class RateLimiter:
    """A token bucket per client address, in this process.

    Each gunicorn worker keeps its own buckets, so the service-wide limit is the setting
    times the number of workers; that is fine for a guard against a runaway caller.
    """

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = defaultdict(lambda: (self.capacity, time.monotonic()))
        self._lock = threading.Lock()

    def allow(self, key: str) -> tuple[bool, float]:
        """Whether a request may go ahead, and if not how many seconds until one may."""
        with self._lock:
            tokens, last = self._buckets[key]
            now = time.monotonic()
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return True, 0.0
            self._buckets[key] = (tokens, now)
            return False, (1 - tokens) / self.rate


def client_address(req: Request) -> str:
    return req.remote_addr or "unknown"


def install(app: Flask, settings: CalculatorSettings, api_prefixes: tuple[str, ...]) -> None:
    app.config["MAX_CONTENT_LENGTH"] = settings.calculator_max_body_bytes
    limiter = RateLimiter(settings.calculator_rate_limit_per_minute)
    token = settings.calculator_api_token

    @app.before_request
    def guard():  # type: ignore[no-untyped-def]
        if not request.path.startswith(api_prefixes):
            return None
        if token:
            given = request.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                response = jsonify(
                    errors=[
                        {
                            "field": "Authorization",
                            "message": "send Authorization: Bearer <CALCULATOR_API_TOKEN>",
                        }
                    ]
                )
                response.status_code = 401
                response.headers["WWW-Authenticate"] = "Bearer"
                return response
        allowed, wait = limiter.allow(client_address(request))
        if not allowed:
            response = jsonify(errors=[{"field": "request", "message": "too many requests; slow down"}])
            response.status_code = 429
            response.headers["Retry-After"] = str(max(1, round(wait)))
            return response
        return None

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        """API callers get JSON for every refusal (404, 405 ...); advisors get the usual page."""
        if isinstance(exc, RequestEntityTooLarge):
            return too_large(exc)
        if not request.path.startswith((*api_prefixes, "/healthz", "/openapi.json")):
            return error_page(exc)
        field = "path" if exc.code == 404 else "method" if exc.code == 405 else "request"
        response = jsonify(errors=[{"field": field, "message": (exc.description or exc.name).rstrip(".")}])
        response.status_code = exc.code or 400
        if exc.code == 405 and exc.response is None:
            allowed = getattr(exc, "valid_methods", None)
            if allowed:
                response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge):  # type: ignore[no-untyped-def]
        if not request.path.startswith(api_prefixes):
            return error_page(exc)  # an advisor's form: the page, in words
        limit = settings.calculator_max_body_bytes
        response = jsonify(
            errors=[{"field": "body", "message": f"request bodies are limited to {limit:,} bytes"}]
        )
        response.status_code = 413
        return response
