"""Storage: SQLAlchemy models, Alembic migrations and small repositories over them."""

from bot.storage.database import Database
from bot.storage.repositories import (
    CatalogueRepository, ReportRepository, StatsRepository, UpdateRepository, UserPrefs,
    UserRepository,
)

__all__ = [
    "CatalogueRepository", "Database", "ReportRepository", "StatsRepository", "UpdateRepository",
    "UserPrefs", "UserRepository",
]
