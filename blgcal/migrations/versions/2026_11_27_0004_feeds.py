"""feeds: stored VEVENT pieces on events, private feeds

Frozen: the pieces of events already stored are built by ``blgcal init`` (or
``blgcal feeds rebuild``) after the upgrade, not here.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ical', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('ical_tzids', sa.String(length=300), nullable=True))
    op.create_table('private_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_dt', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_private_feed_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_private_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_private_feed_token_hash'))
    )
    with op.batch_alter_table('private_feed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_private_feed_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('private_feed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_private_feed_user_id'))
    op.drop_table('private_feed')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('ical_tzids')
        batch_op.drop_column('ical')
