"""Comments on chart points and scenarios, per assumptions file.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file", sa.String(length=255), nullable=False),
        sa.Column("scenario_key", sa.String(length=80), nullable=True),
        sa.Column("scenario", sa.String(length=60), nullable=True),
        sa.Column("page", sa.String(length=80), nullable=True),
        sa.Column("chart", sa.String(length=120), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("series", sa.String(length=200), nullable=True),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("author", sa.String(length=320), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=320), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index(op.f("ix_comments_file"), "comments", ["file"])


def downgrade() -> None:
    op.drop_index(op.f("ix_comments_file"), table_name="comments")
    op.drop_table("comments")
