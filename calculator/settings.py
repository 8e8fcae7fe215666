"""The calculator's settings (the service, its client and the links to its pages), from the
environment or .env; every one has a working default.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CalculatorSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    calculator_api_token: str | None = Field(
        default=None, description="When set, the JSON API needs `Authorization: Bearer <token>`."
    )
    calculator_url: str | None = Field(
        default=None, description="Where the bot and clock find the service; in process when unset."
    )
    calculator_max_body_bytes: int = Field(
        default=64 * 1024, description="Larger request bodies are refused."
    )
    calculator_rate_limit_per_minute: int = Field(
        default=1200,
        description="Requests a minute from one client address, to the pages and the JSON API alike "
        "(counted across workers when REDIS_URL is set, in each worker otherwise).",
    )
    calculator_wrong_tokens_per_minute: int = Field(
        default=10, description="Wrong API tokens a minute from one address before it is refused for a while."
    )
    redis_url: str | None = Field(
        default=None, description="Where the rate limits are counted; in memory when unset."
    )
    calculator_public_url: str | None = Field(
        default=None,
        description="Where people reach the pages, e.g. https://ips.example.nhs.uk/calculator; "
        "the bot links there.",
    )


@lru_cache(maxsize=1)
def get_calculator_settings() -> CalculatorSettings:
    return CalculatorSettings()
