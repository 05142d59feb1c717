"""on PostgreSQL, notify channel blgcal_private_feed of every change that may close a private
feed: the feed's row (revoked, regenerated, renamed, refiltered, touched, deleted), its owner's
role or active flag, the bodies an owner edits; the payload is the feed's old token hash, or *
for "forget them all" (see blgcal.web.feeds.tokens)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 14:00:00
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION blgcal_private_feed_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_LEVEL = 'ROW' THEN
        PERFORM pg_notify('blgcal_private_feed', OLD.token_hash);
    ELSE
        PERFORM pg_notify('blgcal_private_feed', '*');
    END IF;
    RETURN NULL;
END
$$
"""
TRIGGERS = {
    "private_feed_changed": "AFTER UPDATE OR DELETE ON private_feed FOR EACH ROW",
    "private_feed_truncated": "AFTER TRUNCATE ON private_feed FOR EACH STATEMENT",
    "user_account_changed": ("AFTER UPDATE OF role, active OR DELETE OR TRUNCATE ON user_account "
                             "FOR EACH STATEMENT"),
    "user_body_changed": "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_body FOR EACH STATEMENT",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: one machine, and every lookup reads the file (nothing to tell)
    op.execute(FUNCTION)
    for name, when in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION blgcal_private_feed_changed()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, when in TRIGGERS.items():
        table = when.split(" ON ", 1)[1].split()[0]
        op.execute(f"DROP TRIGGER {name} ON {table}")
    op.execute("DROP FUNCTION blgcal_private_feed_changed()")
