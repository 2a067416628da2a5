"""rate limit counters

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 11:15:00

``rate_limit_counter``: the requests of each client and source address per time window, kept in
the database so that every worker of the hub counts against the same limit.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'rate_limit_counter',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('window', sa.BigInteger(), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key', 'window', name=op.f('pk_rate_limit_counter')),
    )
    op.create_index(op.f('ix_rate_limit_counter_window'), 'rate_limit_counter', ['window'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_rate_limit_counter_window'), table_name='rate_limit_counter')
    op.drop_table('rate_limit_counter')
