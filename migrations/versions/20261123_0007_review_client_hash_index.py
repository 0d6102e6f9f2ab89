"""Index reviews by address hash and time (the scorer's same-device history)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 19:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_review_client_created", "review", ["client_hash", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_review_client_created", table_name="review")
