"""A version's actual figures: the market sizes an analyst typed beside the file's (issue 24).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # nullable: every version saved before holds none
    op.add_column("versions", sa.Column("actuals", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:  # SQLite drops a column by a copy
        batch.drop_column("actuals")
