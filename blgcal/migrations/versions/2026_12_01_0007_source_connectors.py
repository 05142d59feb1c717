"""source connectors: CBD Solr kind, default kind and zone, title exclusions, presets, run changes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('ics', 'csv', 'informea')"
NEW_KINDS = "kind IN ('ics', 'csv', 'informea', 'cbd')"


def upgrade() -> None:
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("default_kind", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("default_timezone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("exclude_titles", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("preset", sa.String(length=64), nullable=True))
        batch_op.drop_constraint(batch_op.f("ck_source_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_source_kind"), NEW_KINDS)
    with op.batch_alter_table("harvest_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("changes", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("excluded", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("harvest_run", schema=None) as batch_op:
        batch_op.drop_column("excluded")
        batch_op.drop_column("changes")
    op.execute("DELETE FROM source WHERE kind = 'cbd'")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_source_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_source_kind"), OLD_KINDS)
        batch_op.drop_column("preset")
        batch_op.drop_column("exclude_titles")
        batch_op.drop_column("default_timezone")
        batch_op.drop_column("default_kind")
