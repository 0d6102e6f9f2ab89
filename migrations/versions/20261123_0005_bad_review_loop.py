"""bad review loop

The closed loop of bad reviews (差评闭环): replies and their versions, the residents' inbox,
providers' appeals, the loop's fields on `review` (answer deadline, answer time, re-rating)
and the Fernet copy of a resident's phone number, stored at their next login.

No backfill of `answer_due`. Bad reviews stored before this revision could not be answered
(there were no replies), so they are left out of the on-time answer rate rather than counted
as late; the escalation job still watches the non-demo ones, giving them the deadline they
would have had (moderation/jobs.py), as it did before. Residents' phone copies fill in as
they log in: the plain numbers were never kept.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 16:54:31.537226
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "reply",
                "appeal_upheld",
                "appeal_rejected",
                name="notificationkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("message_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notification_resident_read", ["resident_id", "read_at"], unique=False
        )

    op.create_table(
        "review_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["provider_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id"),
    )
    op.create_table(
        "appeal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column(
            "grounds",
            sa.Enum("fake", "abusive", name="appealgrounds", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("reasons", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open", "upheld", "rejected", name="appealstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("flag_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["provider_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["flag_id"],
            ["flag.id"],
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeal_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appeal_review_id"), ["review_id"], unique=False)
        batch_op.create_index(
            "uq_appeal_open_review",
            ["review_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "review_reply_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reply_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["provider_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reply_id"],
            ["review_reply.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_reply_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_reply_version_reply_id"), ["reply_id"], unique=False
        )

    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "phone_encrypted", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True
            )
        )

    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer_due", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("answered_on_time", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("original_level", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("rerated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_review_loop",
            ["provider_id", "status", "answer_due", "answered_at", "answered_on_time"],
            unique=False,
            sqlite_where=sa.text("answer_due IS NOT NULL"),
            postgresql_where=sa.text("answer_due IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index("ix_review_loop")
        batch_op.drop_column("rerated_at")
        batch_op.drop_column("original_level")
        batch_op.drop_column("answered_on_time")
        batch_op.drop_column("answered_at")
        batch_op.drop_column("answer_due")

    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.drop_column("phone_encrypted")

    with op.batch_alter_table("review_reply_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_reply_version_reply_id"))

    op.drop_table("review_reply_version")
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_appeal_open_review",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index(batch_op.f("ix_appeal_review_id"))
        batch_op.drop_index(batch_op.f("ix_appeal_provider_id"))

    op.drop_table("appeal")
    op.drop_table("review_reply")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_resident_read")

    op.drop_table("notification")
