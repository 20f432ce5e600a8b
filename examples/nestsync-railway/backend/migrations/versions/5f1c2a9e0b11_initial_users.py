"""initial users table

Revision ID: 5f1c2a9e0b11
Revises:
Create Date: 2025-06-02 10:14:03.112233
"""
from alembic import op
import sqlalchemy as sa

revision = "5f1c2a9e0b11"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("supabase_user_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column("email", sa.String(length=320), nullable=False, unique=True),
        sa.Column("first_name", sa.String(length=100)),
        sa.Column("province", sa.String(length=2)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )


def downgrade():
    op.drop_table("users")
