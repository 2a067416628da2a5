"""linkage blocks and clk

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 18:37:43.290924
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('record_block',
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('token', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('submission_id', 'row', 'label', name=op.f('pk_record_block'))
    )
    with op.batch_alter_table('record_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_block_token'), ['token'], unique=False)

    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clk', sa.LargeBinary(), nullable=True))




def downgrade() -> None:

    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.drop_column('clk')

    with op.batch_alter_table('record_block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_block_token'))

    op.drop_table('record_block')

