"""reminders and pending sign-ups: reminder_sent, cohort_summary_sent, user.reminders_off_at,
pending_sign_up; an index on account_session.last_seen_at

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain add_column (no batch): SQLite adds a nullable column in place, without rebuilding
# tables that others reference (a rebuild with foreign keys on would delete their rows).
def upgrade() -> None:
    op.add_column("user", sa.Column("reminders_off_at", sa.DateTime(), nullable=True))
    op.create_index("ix_account_session_last_seen_at", "account_session", ["last_seen_at"])
    op.create_table(
        "reminder_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["assignment_id"], ["assignment.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "assignment_id", "due_on", name="uq_reminder_sent"),
    )
    op.create_index("ix_reminder_sent_assignment_id", "reminder_sent", ["assignment_id"])
    op.create_table(
        "cohort_summary_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("instructor_id", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohort.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["instructor_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cohort_id", "instructor_id", "sent_on", name="uq_cohort_summary"),
    )
    op.create_index(
        "ix_cohort_summary_sent_instructor_id", "cohort_summary_sent", ["instructor_id"]
    )
    op.create_table(
        "pending_sign_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("next_path", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohort.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_pending_sign_up_email", "pending_sign_up", ["email"])
    op.create_index("ix_pending_sign_up_created_at", "pending_sign_up", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_pending_sign_up_created_at", table_name="pending_sign_up")
    op.drop_index("ix_pending_sign_up_email", table_name="pending_sign_up")
    op.drop_table("pending_sign_up")
    op.drop_index("ix_cohort_summary_sent_instructor_id", table_name="cohort_summary_sent")
    op.drop_table("cohort_summary_sent")
    op.drop_index("ix_reminder_sent_assignment_id", table_name="reminder_sent")
    op.drop_table("reminder_sent")
    op.drop_index("ix_account_session_last_seen_at", table_name="account_session")
    op.drop_column("user", "reminders_off_at")
