"""persons

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 18:43:37.225142
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('person',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('dataset', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('cohort', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_cohort'), ['cohort'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_dataset'), ['dataset'], unique=False)

    op.create_table('person_record',
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_record_person_id_person')),
    sa.PrimaryKeyConstraint('submission_id', 'row', name=op.f('pk_person_record'))
    )
    with op.batch_alter_table('person_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_record_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('linked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))




def downgrade() -> None:

    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_column('linked_at')

    with op.batch_alter_table('person_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_record_person_id'))

    op.drop_table('person_record')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_dataset'))
        batch_op.drop_index(batch_op.f('ix_person_cohort'))

    op.drop_table('person')

