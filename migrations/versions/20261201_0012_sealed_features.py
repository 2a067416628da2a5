"""linkage features sealed at rest: a data key per submission, wrapped by a master key

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 12:00:00

The features of ``record_block`` move out of the table: each submission's are sealed (AES-GCM)
under a data key of its own, wrapped by the current master key (``HUB_MASTER_KEY_FILE``), and each
block keeps where its own lie. Blocks stored before are sealed here, a submission at a time, as
one chunk numbered 0 (chunks received from now on keep their own numbers, from 1).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXISTING_CHUNK = 0


def upgrade() -> None:
    op.create_table('data_key',
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('key_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('wrapped', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('submission_id', name=op.f('pk_data_key'))
    )
    with op.batch_alter_table('data_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_key_key_id'), ['key_id'], unique=False)
    op.create_table('sealed_features',
    sa.Column('submission_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('chunk', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('submission_id', 'chunk', name=op.f('pk_sealed_features'))
    )
    with op.batch_alter_table('record_block', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chunk', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('features_at', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('features_length', sa.Integer(), nullable=True))
    _seal_existing(op.get_bind())
    with op.batch_alter_table('record_block', schema=None) as batch_op:
        batch_op.drop_column('features')
        batch_op.alter_column('chunk', nullable=False)
        batch_op.alter_column('features_at', nullable=False)
        batch_op.alter_column('features_length', nullable=False)


def _seal_existing(connection) -> None:
    from sqlmodel import Session

    from hub.keys.sealed import seal_chunk_features

    blocks = sa.table('record_block', sa.column('submission_id', sa.String), sa.column('row', sa.Integer),
                      sa.column('label', sa.String), sa.column('features', sa.LargeBinary),
                      sa.column('chunk', sa.Integer), sa.column('features_at', sa.Integer),
                      sa.column('features_length', sa.Integer))
    submissions = connection.execute(sa.select(blocks.c.submission_id).distinct()).scalars().all()
    with Session(bind=connection) as session:
        for submission_id in submissions:
            rows = connection.execute(
                sa.select(blocks.c.row, blocks.c.label, blocks.c.features)
                .where(blocks.c.submission_id == submission_id).order_by(blocks.c.row, blocks.c.label)
            ).all()
            places = seal_chunk_features(session, submission_id, EXISTING_CHUNK, [r.features for r in rows])
            session.flush()
            connection.execute(
                blocks.update().where(blocks.c.submission_id == submission_id, blocks.c.row == sa.bindparam('b_row'),
                                      blocks.c.label == sa.bindparam('b_label'))
                .values(chunk=sa.bindparam('b_chunk'), features_at=sa.bindparam('b_at'),
                        features_length=sa.bindparam('b_length')),
                [{"b_row": r.row, "b_label": r.label, "b_chunk": chunk, "b_at": at, "b_length": length}
                 for r, (chunk, at, length) in zip(rows, places, strict=True)],
            )


def downgrade() -> None:
    raise NotImplementedError("sealed features are not unsealed into the table again; restore a backup instead")
