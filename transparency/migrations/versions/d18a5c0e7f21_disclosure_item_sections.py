"""disclosure item sections (CV sections published and withheld); import job format, as_of, office

Revision ID: d18a5c0e7f21
Revises: d41e7a09c3b2
Create Date: 2026-12-02 01:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd18a5c0e7f21'
down_revision = 'd41e7a09c3b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('disclosure_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sections', sa.JSON(none_as_null=True), nullable=True))
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('format', sa.String(length=16), server_default='csv', nullable=False))
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('office', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.drop_column('office')
        batch_op.drop_column('as_of')
        batch_op.drop_column('format')
    with op.batch_alter_table('disclosure_item', schema=None) as batch_op:
        batch_op.drop_column('sections')
