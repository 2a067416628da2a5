"""privacy budget and releases

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 19:40:29.208443
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.models.budget


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('budget_account',
    sa.Column('dataset', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('cohort', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('total_rho', hub.models.budget.ExactDecimal(length=50), nullable=False),
    sa.Column('spent_rho', hub.models.budget.ExactDecimal(length=50), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('dataset', 'cohort', 'purpose', name=op.f('pk_budget_account'))
    )
    op.create_table('release',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('report', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
    sa.Column('dataset', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('cohorts', sa.JSON(), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('mechanism', sa.JSON(), nullable=False),
    sa.Column('cells', sa.JSON(), nullable=False),
    sa.Column('snapshot', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('data_as_of', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release'))
    )
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_release_report'), ['report'], unique=False)
        batch_op.create_index('uq_release_standard', ['report', 'period'], unique=True, sqlite_where=sa.text("kind = 'standard'"), postgresql_where=sa.text("kind = 'standard'"))

    op.create_table('budget_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dataset', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('cohort', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('release_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('rho', hub.models.budget.ExactDecimal(length=50), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], name=op.f('fk_budget_entry_release_id_release')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_entry'))
    )
    with op.batch_alter_table('budget_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_entry_cohort'), ['cohort'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_entry_release_id'), ['release_id'], unique=False)

    op.create_table('release_request',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('organisation_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('dataset', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('dimensions', sa.JSON(), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('cohorts', sa.JSON(), nullable=False),
    sa.Column('statistic', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('epsilon', hub.models.budget.ExactDecimal(length=50), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('release_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_release_request_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], name=op.f('fk_release_request_release_id_release')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_request'))
    )
    with op.batch_alter_table('release_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_request_organisation_id'), ['organisation_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('release_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_request_organisation_id'))

    op.drop_table('release_request')
    with op.batch_alter_table('budget_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_entry_release_id'))
        batch_op.drop_index(batch_op.f('ix_budget_entry_cohort'))

    op.drop_table('budget_entry')
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.drop_index('uq_release_standard', sqlite_where=sa.text("kind = 'standard'"), postgresql_where=sa.text("kind = 'standard'"))
        batch_op.drop_index(batch_op.f('ix_release_report'))
        batch_op.drop_index(batch_op.f('ix_release_period'))

    op.drop_table('release')
    op.drop_table('budget_account')

