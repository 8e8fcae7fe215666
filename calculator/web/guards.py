"""What keeps the calculator safe to expose: a bearer token on the API, a body limit, rate
limits on pages and API alike (wrong tokens counted on their own), security headers with a
strict Content Security Policy, CSRF tokens on the pages' forms, and no caching of anything
personal. Each from a kept library: Flask-Limiter, flask-talisman, Flask-WTF.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from calculator.settings import CalculatorSettings
from calculator.web.frontend import error_page

# No inline script or style anywhere: every page's CSS and any script are files of our own.
# The result's chart is an image the page carries (a data: URL).
CSP: dict[str, str | list[str]] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def storage_uri(redis_url: str | None) -> str:
    """Redis, so every worker and machine counts together, when there is one; else memory."""
    return redis_url or "memory://"


def secure_headers(app: Flask, *, https: bool) -> Talisman:
    """Security headers on every response; HSTS only where the service is reached over HTTPS
    (never on a laptop's loopback, where it would pin the browser to an HTTPS that is not there).
    TLS is the platform's: the redirect to HTTPS is left to it, so health checks still answer."""
    return Talisman(
        app,
        force_https=False,
        strict_transport_security=https,
        frame_options="DENY",
        content_security_policy=CSP,
        referrer_policy="same-origin",
        session_cookie_secure=https,
        session_cookie_http_only=True,
    )


def no_store_unless_set(response: Response) -> Response:
    """Pages and answers about a household are never kept by a browser or a proxy; what may be
    cached (the published parameters, static files) says so itself."""
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def account_header(name: str, sign_out_url: str) -> dict[str, Any]:
    """The NHS.UK header's account items for a signed-in person: who they are, and Sign out as
    a form carrying its CSRF token (a hidden input is allowed inside the component's button)."""
    token = Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())
    return {"items": [{"text": f"Signed in as {name}", "icon": True},
                      {"html": token + "Sign out", "action": sign_out_url, "method": "post"}]}


def csrf_refused(exc: CSRFError) -> tuple[str, int]:
    """A form without its token (from another site, or kept open past its session): nothing was
    done, and the page says how to do it again."""
    return render_template(
        "error.html", code=400, title="That form could not be used",
        advice="Nothing was changed. The form had expired or did not come from this page (its CSRF "
        "token was missing or wrong). Go back, reload the page and try again.", back=None), 400


def _unauthorised() -> Response:
    response = jsonify(errors=[{"field": "Authorization",
                                "message": "send Authorization: Bearer <CALCULATOR_API_TOKEN>"}])
    response.status_code = 401
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


def install(app: Flask, settings: CalculatorSettings, api: Blueprint, api_prefixes: tuple[str, ...], *,
            https: bool = False, csrf: bool = False) -> Limiter:
    app.config["MAX_CONTENT_LENGTH"] = settings.calculator_max_body_bytes
    # The limiter's check comes first, so a caller over a limit is refused before anything else.
    limiter = Limiter(
        get_remote_address, app=app, storage_uri=storage_uri(settings.redis_url),
        # One count per address for every page and API call together.
        application_limits=[f"{settings.calculator_rate_limit_per_minute} per minute"],
        headers_enabled=True, key_prefix="calculator",
    )
    # Wrong tokens are counted on their own and few are allowed: guessing the token is slow.
    limiter.limit(f"{settings.calculator_wrong_tokens_per_minute} per minute", scope="wrong-token",
                  deduct_when=lambda response: response.status_code == 401, override_defaults=False)(api)
    secure_headers(app, https=https)
    app.after_request(no_store_unless_set)
    # Forms change nothing on their own, so the service on its own (no sign-in, no saving)
    # needs no tokens; mounted with sign-in, every form carries one.
    app.config["WTF_CSRF_ENABLED"] = csrf
    # A token lasts as long as the session it belongs to (which times out when idle).
    app.config["WTF_CSRF_TIME_LIMIT"] = None
    CSRFProtect(app).exempt(api)
    app.register_error_handler(CSRFError, csrf_refused)
    token = settings.calculator_api_token

    @app.before_request
    def guard() -> Response | None:
        if token and request.path.startswith(api_prefixes):
            given = request.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return _unauthorised()
        return None

    _error_handlers(app, settings, api_prefixes)
    return limiter


def _error_handlers(app: Flask, settings: CalculatorSettings, api_prefixes: tuple[str, ...]) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        """API callers get JSON for every refusal (404, 405 ...); advisors get the usual page."""
        if isinstance(exc, RequestEntityTooLarge):
            return too_large(exc)
        if not request.path.startswith((*api_prefixes, "/healthz", "/openapi.json")):
            return error_page(exc)
        if isinstance(exc, RateLimitExceeded):
            field, message = "request", "too many requests; slow down"
        else:
            field = "path" if exc.code == 404 else "method" if exc.code == 405 else "request"
            message = (exc.description or exc.name).rstrip(".")
        response = jsonify(errors=[{"field": field, "message": message}])
        response.status_code = exc.code or 400
        if exc.code == 405 and exc.response is None:
            allowed = getattr(exc, "valid_methods", None)
            if allowed:
                response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge) -> Any:
        if not request.path.startswith(api_prefixes):
            return error_page(exc)  # an advisor's form: the page, in words
        limit = settings.calculator_max_body_bytes
        response = jsonify(
            errors=[{"field": "body", "message": f"request bodies are limited to {limit:,} bytes"}]
        )
        response.status_code = 413
        return response
