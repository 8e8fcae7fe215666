"""Settings read from the environment (and a local .env), with defaults that run on one machine."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "ips.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        description="SQLAlchemy URL; SQLite file by default, postgresql+psycopg://... to scale out.",
    )
    client_reference_pattern: str = Field(
        default=r"^[A-Za-z0-9-]{3,20}$",
        description="What a pseudonymous client reference must look like.",
    )
    timezone: str = "Europe/London"
    log_level: str = "INFO"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
