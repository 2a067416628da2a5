"""rejected rows' reasons as codes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 11:30:00

``submission_error.message`` (free text a connector sent) becomes ``submission_error.code``, a
code of ``schemas.row_problems``. The old texts are dropped, not converted: a text could hold
anything a connector put in it, identifiers included. Rows stored before get the code ``legacy``,
and so do the errors inside the chunk receipts kept for retries (``submission_chunk.receipt``).
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEGACY = {"code": "legacy", "message": "was refused (the reason was recorded before reasons were codes)"}
_chunks = sa.table('submission_chunk', sa.column('submission_id', sa.String), sa.column('seq', sa.Integer),
                   sa.column('receipt', sa.String))


def _scrub_chunk_receipts() -> None:
    connection = op.get_bind()
    for submission_id, seq, receipt in connection.execute(sa.select(_chunks)).all():
        content = json.loads(receipt)
        if not content.get("errors"):
            continue
        content["errors"] = [{"row": e.get("row"), "field": e.get("field"), **LEGACY} for e in content["errors"]]
        connection.execute(
            _chunks.update().where(_chunks.c.submission_id == submission_id, _chunks.c.seq == seq)
            .values(receipt=json.dumps(content))
        )


def upgrade() -> None:
    with op.batch_alter_table('submission_error') as batch:
        batch.add_column(sa.Column('code', sa.String(length=40), nullable=False, server_default='legacy'))
        batch.drop_column('message')
    with op.batch_alter_table('submission_error') as batch:
        batch.alter_column('code', server_default=None)
    _scrub_chunk_receipts()


def downgrade() -> None:
    with op.batch_alter_table('submission_error') as batch:
        batch.add_column(sa.Column('message', sa.String(length=500), nullable=False, server_default=''))
        batch.drop_column('code')
    with op.batch_alter_table('submission_error') as batch:
        batch.alter_column('message', server_default=None)
