"""notification preferences with PIPEDA consent fields

Revision ID: e7b3a5c9d018
Revises: c1f0b9d2e4a7
Create Date: 2025-08-29 13:27:44.901377
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "e7b3a5c9d018"
down_revision: Union[str, Sequence[str], None] = "c1f0b9d2e4a7"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True),
        sa.Column("notifications_enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("quiet_hours_start", sa.Time()),
        sa.Column("quiet_hours_end", sa.Time()),
        sa.Column("notification_consent_granted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("notification_consent_date", sa.DateTime(timezone=True)),
        sa.Column("marketing_consent_granted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("marketing_consent_date", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("notification_preferences")
