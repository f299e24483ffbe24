"""Handled Telegram update ids (one replica answers each); the day a user's settings were
last used (they expire).

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "telegram_updates",
        sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), index=True),
    )
    with op.batch_alter_table("user_prefs") as batch:
        batch.add_column(sa.Column("last_seen", sa.Date))
    # Settings stored before their use was recorded count as used on the day of the upgrade.
    op.execute(sa.text("UPDATE user_prefs SET last_seen = CURRENT_DATE"))


def downgrade() -> None:
    with op.batch_alter_table("user_prefs") as batch:
        batch.drop_column("last_seen")
    op.drop_table("telegram_updates")
