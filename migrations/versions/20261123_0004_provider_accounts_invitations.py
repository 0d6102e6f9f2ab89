"""provider accounts, invitations

Provider users (owner, staff) and their portal sessions, QR invitations, and the listing's
registered phone (keyed hash and Fernet copy) on `provider`. Listings stored before this
revision have no registered phone, and cannot be claimed until one is set: nothing here can
know their numbers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:49:47.218375
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provider_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("owner", "staff", name="providerrole", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("phone_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("phone_encrypted", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("provider_user", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_user_phone_hash"), ["phone_hash"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_provider_user_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column(
            "source",
            sa.Enum("poster", "staff", name="invitationsource", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("issued_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["issued_by"],
            ["provider_user.id"],
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
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invitation_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_invitation_review_id"), ["review_id"], unique=False)

    op.create_table(
        "provider_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["provider_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("provider_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provider_session_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phone_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "phone_encrypted", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True
            )
        )
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_provider_phone_hash"), ["phone_hash"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("provider", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_phone_hash"))
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("phone_encrypted")
        batch_op.drop_column("phone_hash")

    with op.batch_alter_table("provider_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_session_user_id"))

    op.drop_table("provider_session")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_review_id"))
        batch_op.drop_index(batch_op.f("ix_invitation_provider_id"))

    op.drop_table("invitation")
    with op.batch_alter_table("provider_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_user_provider_id"))
        batch_op.drop_index(batch_op.f("ix_provider_user_phone_hash"))

    op.drop_table("provider_user")
