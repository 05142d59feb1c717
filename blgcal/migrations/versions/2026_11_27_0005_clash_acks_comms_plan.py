"""clash acknowledgements and the comms plan

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 04:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clash_ack",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clash_key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_label", sa.String(length=254), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_clash_ack_user_id_user_account"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clash_ack")),
    )
    with op.batch_alter_table("clash_ack", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clash_ack_clash_key"), ["clash_key"], unique=False)
    op.create_table(
        "comms_plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("opportunity_key", sa.String(length=200), nullable=True),
        sa.Column("owner_bodies", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_dt", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comms_plan_item")),
    )
    with op.batch_alter_table("comms_plan_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comms_plan_item_opportunity_key"),
                              ["opportunity_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("comms_plan_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comms_plan_item_opportunity_key"))
    op.drop_table("comms_plan_item")
    with op.batch_alter_table("clash_ack", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clash_ack_clash_key"))
    op.drop_table("clash_ack")
