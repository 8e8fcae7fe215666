"""Settings for the clock: where Slack is, and when things go out (London time)."""

from __future__ import annotations

from datetime import time

from pydantic_settings import BaseSettings, SettingsConfigDict


class ClockSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    slack_bot_token: str | None = None
    # Without a bot token, these (the app's OAuth credentials, as the bot's HTTP mode has them)
    # mean several workspaces installed the app: the clock uses each one's stored bot token.
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    # Tests point this at the local fake; the trailing slash matters to slack_sdk.
    slack_api_url: str = "https://slack.com/api/"
    timezone: str = "Europe/London"
    holds_at: time = time(6, 0)
    monthly_report_at: time = time(7, 30)
    fidelity_at: time = time(8, 30)
    four_week_at: time = time(9, 0)
    just_ask_at: time = time(10, 0)
    # Slack allows about one message a second per channel.
    seconds_between_messages_per_channel: float = 1.0
