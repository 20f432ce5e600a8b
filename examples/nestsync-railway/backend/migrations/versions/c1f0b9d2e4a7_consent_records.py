"""PIPEDA consent records

Revision ID: c1f0b9d2e4a7
Revises: a83d44c7e902
Create Date: 2025-07-08 09:02:17.550021
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "c1f0b9d2e4a7"
down_revision: Union[str, Sequence[str], None] = "a83d44c7e902"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "consent_records",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("consent_type", sa.String(length=50), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
        sa.Column("consent_version", sa.String(length=20), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("consent_records")
