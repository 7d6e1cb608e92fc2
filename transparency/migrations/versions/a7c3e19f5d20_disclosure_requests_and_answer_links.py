"""disclosure requests and their one-time answer links; submissions through a link

Revision ID: a7c3e19f5d20
Revises: a5c19f3e7d20
Create Date: 2026-12-02 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e19f5d20'
down_revision = 'a5c19f3e7d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('disclosure_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidacy_id', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('addressee', sa.String(length=300), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('window_days', sa.Integer(), nullable=False),
    sa.Column('respond_by', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidacy_id'], ['candidacy.id'], name=op.f('fk_disclosure_request_candidacy_id_candidacy')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_disclosure_request_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_disclosure_request_source_id_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosure_request'))
    )
    with op.batch_alter_table('disclosure_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disclosure_request_candidacy_id'), ['candidacy_id'], unique=False)
        batch_op.create_index('ix_disclosure_request_status_respond_by', ['status', 'respond_by'], unique=False)

    op.create_table('answer_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_answer_link_issued_by_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['disclosure_request.id'], name=op.f('fk_answer_link_request_id_disclosure_request')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user_account.id'], name=op.f('fk_answer_link_revoked_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_answer_link_token_hash'))
    )
    with op.batch_alter_table('answer_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_link_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disclosure_request_id', sa.Integer(), nullable=True))
        batch_op.alter_column('submitter_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_submission_disclosure_request_id'), ['disclosure_request_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_submission_disclosure_request_id_disclosure_request'), 'disclosure_request', ['disclosure_request_id'], ['id'])


def downgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_submission_disclosure_request_id_disclosure_request'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_submission_disclosure_request_id'))
        batch_op.alter_column('submitter_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('disclosure_request_id')
    with op.batch_alter_table('answer_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_link_request_id'))
    op.drop_table('answer_link')
    with op.batch_alter_table('disclosure_request', schema=None) as batch_op:
        batch_op.drop_index('ix_disclosure_request_status_respond_by')
        batch_op.drop_index(batch_op.f('ix_disclosure_request_candidacy_id'))
    op.drop_table('disclosure_request')
