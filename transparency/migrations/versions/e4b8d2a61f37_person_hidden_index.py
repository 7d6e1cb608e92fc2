"""An index on person.hidden: the visibility rule looks up the hidden people on every list

Revision ID: e4b8d2a61f37
Revises: 3cf131c0ab56
Create Date: 2026-12-02 01:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e4b8d2a61f37'
down_revision = '3cf131c0ab56'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_hidden'), ['hidden'], unique=False)


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_hidden'))
