"""disclosure statuses are facts: disclosure_item.respond_by (a request's window); the
not_requested items go (they recorded no fact: no item reads as "not checked")

Revision ID: a5c19f3e7d20
Revises: e41d7a9c2b55
Create Date: 2026-12-02 04:50:00.000000

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a5c19f3e7d20'
down_revision = 'e41d7a9c2b55'
branch_labels = None
depends_on = None

REASON = (
    "Status not_requested recorded no fact (nobody looked, nobody asked): without an item the "
    "requirement reads as not checked (rules 2024.2)"
)


def upgrade():
    with op.batch_alter_table('disclosure_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('respond_by', sa.Date(), nullable=True))
    # not_requested said "nobody asked": the same as no item at all, which now reads as not
    # checked. Mapping it to another status would invent a fact, so the rows go, each with a
    # revision that keeps what it held (the item's public history stays whole).
    connection = op.get_bind()
    items = sa.table(
        'disclosure_item',
        sa.column('id', sa.Integer), sa.column('candidacy_id', sa.Integer),
        sa.column('requirement', sa.String), sa.column('status', sa.String),
        sa.column('checked_at', sa.Date), sa.column('note', sa.Text),
        sa.column('source_id', sa.Integer),
    )
    candidacies = sa.table(
        'candidacy', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer)
    )
    revisions = sa.table(
        'revision',
        sa.column('created_at', sa.DateTime), sa.column('entity_type', sa.String),
        sa.column('entity_id', sa.Integer), sa.column('action', sa.String),
        sa.column('before', sa.JSON(none_as_null=True)),
        sa.column('after', sa.JSON(none_as_null=True)),
        sa.column('person_id', sa.Integer), sa.column('candidacy_id', sa.Integer),
        sa.column('origin', sa.String), sa.column('source_id', sa.Integer),
        sa.column('reason', sa.Text),
    )
    rows = connection.execute(
        sa.select(items, candidacies.c.person_id)
        .join(candidacies, candidacies.c.id == items.c.candidacy_id)
        .where(items.c.status == 'not_requested')
    ).mappings().all()
    if not rows:
        return
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    connection.execute(
        revisions.insert(),
        [
            {
                'created_at': now,
                'entity_type': 'disclosure_item',
                'entity_id': row['id'],
                'action': 'delete',
                'before': {
                    'requirement': row['requirement'],
                    'status': row['status'],
                    'checked_at': row['checked_at'].isoformat() if row['checked_at'] else None,
                    'note': row['note'],
                    'source_id': row['source_id'],
                },
                'after': None,
                'person_id': None,
                'candidacy_id': row['candidacy_id'],
                'origin': 'migration',
                'source_id': row['source_id'],
                'reason': REASON,
            }
            for row in rows
        ],
    )
    connection.execute(items.delete().where(items.c.status == 'not_requested'))


def downgrade():
    # The removed not_requested rows are not restored: they held no fact (their revisions do).
    with op.batch_alter_table('disclosure_item', schema=None) as batch_op:
        batch_op.drop_column('respond_by')
