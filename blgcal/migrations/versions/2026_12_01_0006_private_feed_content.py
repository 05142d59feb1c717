"""private feeds carry what they hold: events (a saved filter) or the comms plan;
comms plan items indexed by their last change (part of the calendar's version)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("private_feed", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.String(length=16), nullable=False,
                                      server_default="events"))
    with op.batch_alter_table("comms_plan_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comms_plan_item_updated_dt"), ["updated_dt"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("comms_plan_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comms_plan_item_updated_dt"))
    with op.batch_alter_table("private_feed", schema=None) as batch_op:
        batch_op.drop_column("content")
