"""indexes for hot reads: answer scores by attempt; an account's attempts at a quiz by time

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 01:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_answer_attempt_question_score", ["attempt_id", "question_id", "score"], unique=False
        )
        batch_op.drop_index("ix_answer_attempt_id")
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attempt_user_quiz_time",
            ["user_id", "course_id", "quiz_id", "submitted_at"],
            unique=False,
        )
        batch_op.drop_index("ix_attempt_user_quiz")


def downgrade() -> None:
    with op.batch_alter_table("attempt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attempt_user_quiz", ["user_id", "course_id", "quiz_id"], unique=False
        )
        batch_op.drop_index("ix_attempt_user_quiz_time")
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index("ix_answer_attempt_id", ["attempt_id"], unique=False)
        batch_op.drop_index("ix_answer_attempt_question_score")
