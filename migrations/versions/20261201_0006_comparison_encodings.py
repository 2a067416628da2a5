"""comparison encodings replace match keys and CLKs; linkage runs replace calibrations

Records' linkage material is now one row per block with the record's salted comparison features
(privacy.encodings). Earlier material (match-key tokens, CLKs, blocking tokens without features)
cannot be compared by the new model: upgrading deletes it, and the partners push their months
again (the connector re-encodes from their own files), as after a rotation of the linkage secret.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM record_block")
    with op.batch_alter_table('record_block', schema=None) as batch_op:
        batch_op.add_column(sa.Column('features', sa.LargeBinary(), nullable=False))
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.drop_column('clk')
    with op.batch_alter_table('record_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_token_token'))
    op.drop_table('record_token')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('random_pairs', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table('linkage_calibration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linkage_calibration_created_at'))
    op.drop_table('linkage_calibration')
    op.create_table('linkage_run',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('records', sa.Integer(), nullable=False),
    sa.Column('records_resolved', sa.Integer(), nullable=False),
    sa.Column('persons', sa.Integer(), nullable=False),
    sa.Column('model', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('quality', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linkage_run'))
    )
    with op.batch_alter_table('linkage_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linkage_run_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    raise NotImplementedError("the comparison encodings cannot be turned back into match keys: restore a backup")
