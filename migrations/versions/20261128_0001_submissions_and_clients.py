"""submissions and clients

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 18:24:35.968392
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('client_assertion',
    sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('jti', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('client_id', 'jti', name=op.f('pk_client_assertion'))
    )
    with op.batch_alter_table('client_assertion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_assertion_expires_at'), ['expires_at'], unique=False)

    op.create_table('idempotency_key',
    sa.Column('organisation_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('request_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('response_status', sa.Integer(), nullable=False),
    sa.Column('response_body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('organisation_id', 'key', name=op.f('pk_idempotency_key'))
    )
    op.create_table('organisation',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('name', name=op.f('uq_organisation_name'))
    )
    op.create_table('record_token',
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.Column('key_label', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('token', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('submission_id', 'row', 'key_label', name=op.f('pk_record_token'))
    )
    with op.batch_alter_table('record_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_token_token'), ['token'], unique=False)

    op.create_table('oauth_client',
    sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('organisation_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('public_jwk', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('scopes', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_oauth_client_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_oauth_client'))
    )
    with op.batch_alter_table('oauth_client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth_client_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('submission',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('organisation_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('dataset', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('on_invalid', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('linkage_secret_version', sa.Integer(), nullable=False),
    sa.Column('rows_received', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('checksum', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('completed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_submission_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission')),
    sa.UniqueConstraint('organisation_id', 'dataset', 'period', 'version', name='uq_submission_version')
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('uq_submission_current', ['organisation_id', 'dataset', 'period'], unique=True, sqlite_where=sa.text("status = 'accepted'"), postgresql_where=sa.text("status = 'accepted'"))

    op.create_table('record',
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.Column('case_ref', sa.LargeBinary(), nullable=False),
    sa.Column('registration_month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('age_band', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('gender', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('citizenship', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
    sa.Column('country_of_exploitation', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
    sa.Column('type_of_exploitation', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('forced_labour_industry', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
    sa.Column('means_of_control', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True),
    sa.Column('recruiter_relationship', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('trafficking_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('data_source_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_record_submission_id_submission')),
    sa.PrimaryKeyConstraint('submission_id', 'row', name=op.f('pk_record')),
    sa.UniqueConstraint('submission_id', 'case_ref', name='uq_record_case_ref')
    )
    op.create_table('submission_chunk',
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('checksum', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('receipt', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_submission_chunk_submission_id_submission')),
    sa.PrimaryKeyConstraint('submission_id', 'seq', name=op.f('pk_submission_chunk'))
    )
    op.create_table('submission_error',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('row', sa.Integer(), nullable=True),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_submission_error_submission_id_submission')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_error'))
    )
    with op.batch_alter_table('submission_error', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_error_submission_id'), ['submission_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('submission_error', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_error_submission_id'))

    op.drop_table('submission_error')
    op.drop_table('submission_chunk')
    op.drop_table('record')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index('uq_submission_current', sqlite_where=sa.text("status = 'accepted'"), postgresql_where=sa.text("status = 'accepted'"))
        batch_op.drop_index(batch_op.f('ix_submission_organisation_id'))

    op.drop_table('submission')
    with op.batch_alter_table('oauth_client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth_client_organisation_id'))

    op.drop_table('oauth_client')
    with op.batch_alter_table('record_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_token_token'))

    op.drop_table('record_token')
    op.drop_table('organisation')
    op.drop_table('idempotency_key')
    with op.batch_alter_table('client_assertion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_assertion_expires_at'))

    op.drop_table('client_assertion')

