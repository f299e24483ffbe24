"""Settings from the environment, read in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
BUILTIN_DIR = DEFAULT_KNOWLEDGE_DIR / "builtin"
LOCALES_DIR = PROJECT_ROOT / "locales"
DEFAULT_TELEGRAM_API = "https://api.telegram.org/bot"


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; build it with :func:`load_settings`."""

    database_url: str
    knowledge_dir: Path
    data_dir: Path
    telegram_token: str | None = None
    telegram_api_base_url: str = DEFAULT_TELEGRAM_API
    telegram_webhook_secret: str | None = None
    webhook_url: str | None = None
    admin_token: str | None = None
    host: str = "0.0.0.0"
    port: int = 8080
    log_level: str = "INFO"
    results_per_reply: int = 3
    store_statistics: bool = False
    rate_limit_burst: int = 30
    rate_limit_per_second: float = 1.0
    trust_proxy_headers: int = 0
    """How many proxies in front set X-Forwarded-For: the client address is the entry the
    outermost of them wrote (0: none, the peer address counts)."""
    user_settings_expire_days: int = 365
    """A Telegram user's stored settings are deleted after this many days without use."""
    telegram_update_lease: float = 30.0
    """Seconds a replica may take to answer a webhook update before another may take it over."""
    http_keepalive_timeout: float = 15.0
    """Seconds an idle connection, or one still sending its request headers, stays open."""
    http_body_timeout: float = 10.0
    """Seconds a client has to send a request body once its headers are in."""
    http_shutdown_timeout: float = 10.0
    """Seconds requests in progress get to finish after SIGTERM."""


def sqlite_url(path: Path) -> str:
    """SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{path}"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _hops(value: str | None) -> int:
    """TRUST_PROXY_HEADERS: a number of proxies; a yes-word means one."""
    value = (value or "").strip().lower()
    return int(value) if value.isdigit() else int(_flag(value))


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from ``env`` (default: the process environment)."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("HYTEOPAS_DATA_DIR") or (Path.cwd() / "data"))
    database_url = env.get("DATABASE_URL") or sqlite_url(data_dir / "hyteopas.sqlite3")
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url[len("postgres://"):]
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    return Settings(
        database_url=database_url,
        knowledge_dir=Path(env.get("KNOWLEDGE_DIR") or DEFAULT_KNOWLEDGE_DIR),
        data_dir=data_dir,
        telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
        telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL") or DEFAULT_TELEGRAM_API,
        telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
        webhook_url=env.get("WEBHOOK_URL") or None,
        admin_token=env.get("ADMIN_TOKEN") or None,
        host=env.get("HOST") or "0.0.0.0",
        port=int(env.get("PORT") or 8080),
        log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
        results_per_reply=int(env.get("RESULTS_PER_REPLY") or 3),
        store_statistics=_flag(env.get("STORE_STATISTICS")),
        rate_limit_burst=int(env.get("RATE_LIMIT_BURST") or 30),
        rate_limit_per_second=float(env.get("RATE_LIMIT_PER_SECOND") or 1.0),
        trust_proxy_headers=_hops(env.get("TRUST_PROXY_HEADERS")),
        user_settings_expire_days=int(env.get("USER_SETTINGS_EXPIRE_DAYS") or 365),
        telegram_update_lease=float(env.get("TELEGRAM_UPDATE_LEASE_SECONDS") or 30),
        http_keepalive_timeout=float(env.get("HTTP_KEEPALIVE_TIMEOUT") or 15),
        http_body_timeout=float(env.get("HTTP_BODY_TIMEOUT") or 10),
        http_shutdown_timeout=float(env.get("HTTP_SHUTDOWN_TIMEOUT") or 10),
    )
