"""contributors' public display names: user_account.display_name and its unique folded key

Revision ID: a7d3f19c2e60
Revises: a7c3e19f5d20
Create Date: 2026-12-02 05:00:00

Public pages name a contributor by a display name, never by the e-mail address or the
private name an administrator knows. Accounts that exist before this revision get the
default, "Relawan #<id>", which each user may change on the account page.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3f19c2e60'
down_revision = 'a7c3e19f5d20'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN and CREATE UNIQUE INDEX: on SQLite a batch operation rebuilds the table,
    # and dropping user_account fails once requests and submissions refer to its rows.
    op.add_column('user_account', sa.Column('display_name', sa.String(length=40), nullable=True))
    op.add_column('user_account', sa.Column('display_key', sa.String(length=120), nullable=True))
    number = sa.cast(sa.column('id', sa.Integer), sa.String)
    users = sa.table(
        'user_account',
        sa.column('id', sa.Integer),
        sa.column('display_name', sa.String),
        sa.column('display_key', sa.String),
    )
    op.execute(
        users.update().values(
            display_name=sa.literal('Relawan #') + number,
            display_key=sa.literal('relawan #') + number,
        )
    )
    op.create_index(
        op.f('ix_user_account_display_key'), 'user_account', ['display_key'], unique=True
    )


def downgrade():
    op.drop_index(op.f('ix_user_account_display_key'), table_name='user_account')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('display_key')
        batch_op.drop_column('display_name')
