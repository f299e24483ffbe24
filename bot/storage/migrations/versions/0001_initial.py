"""Initial schema: catalogue tables, user preferences, reports, usage statistics.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalogue_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(1000), nullable=False),
        sa.Column("service_count", sa.Integer, nullable=False),
    )
    op.create_table(
        "providers",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("name", sa.JSON, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("url", sa.String(2000)),
    )
    op.create_table(
        "services",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("provider_id", sa.String(200), sa.ForeignKey("providers.id"), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated", sa.Date),
    )
    op.create_index("ix_services_provider_id", "services", ["provider_id"])
    op.create_table(
        "service_topics",
        sa.Column("service_id", sa.String(200), sa.ForeignKey("services.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("topic", sa.String(100), primary_key=True),
    )
    op.create_index("ix_service_topics_topic", "service_topics", ["topic"])
    op.create_table(
        "service_areas",
        sa.Column("service_id", sa.String(200), sa.ForeignKey("services.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("area", sa.String(60), primary_key=True),
    )
    op.create_index("ix_service_areas_area", "service_areas", ["area"])
    op.create_table(
        "topics",
        sa.Column("code", sa.String(100), primary_key=True),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "synonym_groups",
        sa.Column("id", sa.String(300), primary_key=True),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "user_prefs",
        sa.Column("user_key", sa.String(100), primary_key=True),
        sa.Column("language", sa.String(5)),
        sa.Column("municipality", sa.String(3)),
        sa.Column("professional", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("service_id", sa.String(200), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("reported_on", sa.Date, nullable=False),
    )
    op.create_index("ix_reports_service_id", "reports", ["service_id"])
    op.create_table(
        "usage_stats",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("topic", sa.String(100), primary_key=True),
        sa.Column("municipality", sa.String(3), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    for table in ("usage_stats", "reports", "user_prefs", "synonym_groups", "topics",
                  "service_areas", "service_topics", "services", "providers", "catalogue_state"):
        op.drop_table(table)
