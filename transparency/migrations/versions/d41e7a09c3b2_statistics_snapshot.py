"""statistics snapshot

Revision ID: d41e7a09c3b2
Revises: e4b8d2a61f37
Create Date: 2026-12-02 01:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd41e7a09c3b2'
down_revision = 'e4b8d2a61f37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('statistics_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=32), nullable=False),
    sa.Column('election', sa.String(length=64), nullable=False),
    sa.Column('ruleset_version', sa.String(length=64), nullable=False),
    sa.Column('stamp', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statistics_snapshot'))
    )
    with op.batch_alter_table('statistics_snapshot', schema=None) as batch_op:
        batch_op.create_index('ix_statistics_snapshot_question', ['item', 'election', 'stamp'], unique=False)


def downgrade():
    with op.batch_alter_table('statistics_snapshot', schema=None) as batch_op:
        batch_op.drop_index('ix_statistics_snapshot_question')

    op.drop_table('statistics_snapshot')
