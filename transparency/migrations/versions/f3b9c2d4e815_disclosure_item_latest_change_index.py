"""An index on disclosure_item (requirement, updated_at): /statistics reads the latest change
of the CV items on every visit

Revision ID: f3b9c2d4e815
Revises: a7d3f19c2e60
Create Date: 2026-12-02 06:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f3b9c2d4e815'
down_revision = 'a7d3f19c2e60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_disclosure_item_requirement_updated_at',
        'disclosure_item',
        ['requirement', 'updated_at'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_disclosure_item_requirement_updated_at', table_name='disclosure_item')
