"""Signed links from Slack to the advisor pages, so a page knows who is asking.

The pages have no sign-in of their own: the bot sends a link carrying the person's Slack
user id (and the answers they gave in Slack, so the page opens on the result), signed
with CALCULATOR_LINK_SECRET and good for 12 hours. Signed, not encrypted: it holds no
client reference and nothing that identifies anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from itsdangerous import BadSignature, URLSafeTimedSerializer

from calculator.settings import CalculatorSettings

MAX_AGE_SECONDS = 12 * 60 * 60
SALT = "ips-calculator-link"


@dataclass(frozen=True)
class Link:
    user: str
    form: dict[str, str] | None


def sign(secret: str, slack_user_id: str, form: dict[str, str] | None = None) -> str:
    payload: dict[str, object] = {"user": slack_user_id}
    if form:
        payload["form"] = form
    return URLSafeTimedSerializer(secret, salt=SALT).dumps(payload)


def verify(secret: str | None, token: str | None) -> Link | None:
    """What a valid, unexpired token says; None for anything else."""
    if not secret or not token:
        return None
    try:
        payload = URLSafeTimedSerializer(secret, salt=SALT).loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("user"), str):
        return None
    form = payload.get("form")
    if not (
        isinstance(form, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in form.items())
    ):
        form = None
    return Link(payload["user"], form)


def result_page_link(settings: CalculatorSettings, slack_user_id: str, form: dict[str, str]) -> str | None:
    """A signed link that opens the advisor pages' result on these answers, for this person;
    None when the pages are not reachable (no public address or no secret to sign with)."""
    if not (settings.calculator_public_url and settings.calculator_link_secret):
        return None
    token = sign(settings.calculator_link_secret, slack_user_id, form)
    # /result is the pages' route that opens on the answers a link carries.
    return f"{settings.calculator_public_url.rstrip('/')}/result?as={quote(token)}"
