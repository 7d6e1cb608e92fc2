"""search rows in postgresql (the PostgreSQL search backend); copies of the Whoosh index

Revision ID: e41d7a9c2b55
Revises: d18a5c0e7f21
Create Date: 2026-12-02 01:45:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'e41d7a9c2b55'
down_revision = 'd18a5c0e7f21'
branch_labels = None
depends_on = None


def upgrade():
    terms = postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite')
    weights = postgresql.JSONB().with_variant(sa.JSON(), 'sqlite')
    bytewise = sa.String(length=200, collation='C').with_variant(sa.String(length=200), 'sqlite')
    op.create_table('search_document',
    sa.Column('candidacy_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('terms', terms, nullable=False),
    sa.Column('weights', weights, nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('election', sa.String(length=64), nullable=False),
    sa.Column('office', sa.String(length=64), nullable=False),
    sa.Column('party', sa.String(length=64), nullable=False),
    sa.Column('province', sa.String(length=64), nullable=False),
    sa.Column('district', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('sort_name', bytewise, nullable=False),
    sa.Column('sort_ballot', bytewise, nullable=False),
    sa.Column('digest', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('candidacy_id', name=op.f('pk_search_document'))
    )
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.create_index('ix_search_document_terms', ['terms'], unique=False, postgresql_using='gin')

    op.create_table('search_term',
    sa.Column('lexeme', bytewise, nullable=False),
    sa.PrimaryKeyConstraint('lexeme', name=op.f('pk_search_term'))
    )
    op.create_table('search_clock',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_clock'))
    )
    op.create_table('search_copy',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.Column('rebuild', sa.Boolean(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_search_copy'))
    )
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.BigInteger(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_search_outbox_seq'), ['seq'], unique=False)


def downgrade():
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_outbox_seq'))
        batch_op.drop_column('seq')

    op.drop_table('search_copy')
    op.drop_table('search_clock')
    op.drop_table('search_term')
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.drop_index('ix_search_document_terms', postgresql_using='gin')

    op.drop_table('search_document')
