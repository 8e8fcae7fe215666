"""Signed links from Slack to the advisor pages, so a page knows who is saving.

The pages have no sign-in of their own: the bot sends a link carrying the person's Slack
user id, signed with CALCULATOR_LINK_SECRET and good for 12 hours.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

MAX_AGE_SECONDS = 12 * 60 * 60
SALT = "ips-calculator-link"


def sign(secret: str, slack_user_id: str) -> str:
    return URLSafeTimedSerializer(secret, salt=SALT).dumps({"user": slack_user_id})


def verify(secret: str | None, token: str | None) -> str | None:
    """The Slack user id in a valid, unexpired token; None otherwise."""
    if not secret or not token:
        return None
    try:
        payload = URLSafeTimedSerializer(secret, salt=SALT).loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    user = payload.get("user") if isinstance(payload, dict) else None
    return user if isinstance(user, str) else None
