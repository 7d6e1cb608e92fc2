"""district areas: kecamatan and desa regions, and which district holds each place

Revision ID: b7e2c41d9a10
Revises: 595db64bbd87
Create Date: 2026-12-01 22:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e2c41d9a10'
down_revision = '595db64bbd87'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.add_column(sa.Column('other_name', sa.String(length=200), nullable=True))
    op.create_table('district_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_district_area_district_id_district')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_district_area_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_district_area')),
    sa.UniqueConstraint('district_id', 'region_id', name=op.f('uq_district_area_district_id_region_id'))
    )
    with op.batch_alter_table('district_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_district_area_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_district_area_region_id'), ['region_id'], unique=False)


def downgrade():
    with op.batch_alter_table('district_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_district_area_region_id'))
        batch_op.drop_index(batch_op.f('ix_district_area_district_id'))
    op.drop_table('district_area')
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.drop_column('other_name')
