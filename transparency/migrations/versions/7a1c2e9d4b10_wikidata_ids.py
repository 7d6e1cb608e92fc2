"""Wikidata QIDs of people and parties

Revision ID: 7a1c2e9d4b10
Revises: b7e2c41d9a10
Create Date: 2026-12-01 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a1c2e9d4b10'
down_revision = 'b7e2c41d9a10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wikidata_id', sa.String(length=16), nullable=True))
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wikidata_id', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_column('wikidata_id')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('wikidata_id')
