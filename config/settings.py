"""Settings for mentorflow, read once from the environment (prefix MENTORFLOW_)."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_CONFIG_DIR = Path(__file__).resolve().parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MENTORFLOW_", extra="ignore")

    home: Path = Field(default=Path(".mentorflow"), description="database, outbox and reports live here")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite under home by default")

    mail_transport: Literal["file", "smtp"] = "file"
    mail_from: str = "mentorflow <no-reply@mentorflow.local>"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_tls: Literal["none", "starttls", "tls"] = "none"
    smtp_timeout_seconds: float = 30.0
    smtp_pool_size: int = Field(default=16, ge=1, description="persistent SMTP connections used at once")
    smtp_rate_limit_per_second: float | None = Field(default=None, gt=0, description="provider's send limit, if any")
    smtp_retry_attempts: int = Field(default=3, ge=1, description="tries per message within one delivery run")
    smtp_retry_backoff_seconds: float = Field(default=0.5, ge=0, description="first retry wait; doubles each time")
    mail_max_attempts: int = Field(
        default=10, ge=1, description="delivery runs a message may fail transiently before it counts as failed"
    )

    clock: Literal["real", "simulated"] = "real"
    simulated_start: str | None = Field(default=None, description="ISO datetime the simulated clock starts at")
    simulated_dates: Literal["jump", "wait"] = Field(
        default="jump",
        description="with the simulated clock: a run jumps to the dates it waits for, or (wait) sleeps until "
        "`mentorflow clock --days N` moves time on and wakes it, as the real clock would",
    )

    survey_base_url: str = Field(default="http://localhost:8080/surveys", description="where survey links point")
    programmes_dir: Path = PACKAGE_CONFIG_DIR / "programmes"
    gate_poll_seconds: float = Field(default=5.0, gt=0, description="how often an in-process gate checks for a decision")
    date_poll_seconds: float = Field(default=300, gt=0, description="how often an in-process run checks a date it waits for")
    clock_cron: str = Field(default="0 6 * * *", description="when the served programme clock sweeps (daily)")
    gate_timeout_days: float = Field(default=180, gt=0, description="an in-process gate fails after this long")

    @model_validator(mode="after")
    def _smtp_credentials_together(self) -> "Settings":
        if (self.smtp_user is None) != (self.smtp_password is None):
            raise ValueError("MENTORFLOW_SMTP_USER and MENTORFLOW_SMTP_PASSWORD must be set together")
        return self

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'mentorflow.db').resolve()}"

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"


_current: Settings | None = None


def get_settings() -> Settings:
    """The one settings object; tests and the demo replace it with override_settings()."""
    global _current
    if _current is None:
        _current = Settings()
    return _current


def override_settings(**values) -> Settings:
    """Build settings from the environment plus `values` and make them current."""
    global _current
    _current = Settings(**values)
    return _current


def reset_settings() -> None:
    global _current
    _current = None
