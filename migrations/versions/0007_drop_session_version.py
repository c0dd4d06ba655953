"""drop user.session_version: sessions are rows of account_session since 0006

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 04:00:00

A plain ALTER TABLE ... DROP COLUMN, on SQLite too (3.35 and later), not batch mode: batch
mode copies "user" to a new table and drops the old one, and with foreign keys on (as
parley.db opens SQLite) dropping "user" deletes every row that references it, through ON
DELETE CASCADE: progress, attempts, memberships. tests/test_migrations.py caught that.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_column("user", "session_version")


def downgrade() -> None:
    op.add_column(
        "user", sa.Column("session_version", sa.Integer(), nullable=False, server_default="1")
    )
