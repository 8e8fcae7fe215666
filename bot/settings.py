"""Settings for the Slack bot, from the environment or .env."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class BotSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    # Multi-workspace install (OAuth): with these and the signing secret, workspaces install
    # the app at /slack/install and their tokens are kept in the database (messaging/oauth.py).
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    # Only needed when the app has several redirect URLs; must match one of them exactly.
    slack_redirect_uri: str | None = None
    # Tests point this at the local fake; the trailing slash matters to slack_sdk.
    slack_api_url: str = "https://slack.com/api/"
