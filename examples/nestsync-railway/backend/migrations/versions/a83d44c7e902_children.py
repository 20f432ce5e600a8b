"""children profiles

Revision ID: a83d44c7e902
Revises: 5f1c2a9e0b11
Create Date: 2025-06-20 16:40:51.004512
"""
from alembic import op
import sqlalchemy as sa

revision = "a83d44c7e902"
down_revision = "5f1c2a9e0b11"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "children",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("parent_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("current_diaper_size", sa.String(length=20)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_children_parent_id", "children", ["parent_id"])


def downgrade():
    op.drop_index("ix_children_parent_id", table_name="children")
    op.drop_table("children")
