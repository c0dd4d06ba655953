"""time zones and remembered sessions: user.time_zone, cohort.time_zone,
account_session.remembered_until

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain add_column (no batch): SQLite adds a nullable column in place, without rebuilding
# tables that others reference (a rebuild with foreign keys on would delete their rows).
def upgrade() -> None:
    op.add_column("user", sa.Column("time_zone", sa.String(length=64), nullable=True))
    op.add_column("cohort", sa.Column("time_zone", sa.String(length=64), nullable=True))
    op.add_column("account_session", sa.Column("remembered_until", sa.DateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("account_session", "remembered_until")
    op.drop_column("cohort", "time_zone")
    op.drop_column("user", "time_zone")
