"""linkage calibration

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 21:00:41.546104
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('linkage_calibration',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('evidence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linkage_calibration'))
    )
    with op.batch_alter_table('linkage_calibration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linkage_calibration_created_at'), ['created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('linkage_calibration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linkage_calibration_created_at'))

    op.drop_table('linkage_calibration')
