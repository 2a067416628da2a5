"""budget changes, keyed snapshots, totals under the tight conversion

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:00:00

Three things:

- ``budget_change``: the append-only history of the accounts' lifetime totals.
- ``release.snapshot_nonce``: the nonce of a release's keyed snapshot (releases stored before have
  none: their snapshot stays the plain SHA-256 it was, since it is signed with the release).
- The accounts' totals are kept in rho, which the hub used to convert from epsilon with the
  Bun-Steinke bound. Under OpenDP's tight conversion the same stated epsilon allows more rho, so
  each total is re-stated: the epsilon the old bound gave it (rounded down) is converted back to
  rho by the tight conversion, and the change is recorded in the history. No account's stated
  epsilon changes; what is spent stays as it was.
"""

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_FLOOR, Context, Decimal

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.models.budget

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANGED_BY = "migration 0007 (rho to epsilon by OpenDP's tight conversion)"
REASON = "the same stated epsilon, converted to rho by OpenDP's tight conversion instead of the Bun-Steinke bound"
RHO_PLACES = Decimal("1e-24")

_accounts = sa.table(
    'budget_account',
    sa.column('dataset', sa.String), sa.column('cohort', sa.String), sa.column('purpose', sa.String),
    sa.column('total_rho', hub.models.budget.ExactDecimal()), sa.column('spent_rho', hub.models.budget.ExactDecimal()),
)
_changes = sa.table(
    'budget_change',
    sa.column('dataset', sa.String), sa.column('cohort', sa.String), sa.column('purpose', sa.String),
    sa.column('old_total_rho', hub.models.budget.ExactDecimal()),
    sa.column('new_total_rho', hub.models.budget.ExactDecimal()),
    sa.column('epsilon', hub.models.budget.ExactDecimal()), sa.column('delta', hub.models.budget.ExactDecimal()),
    sa.column('changed_by', sa.String), sa.column('reason', sa.String), sa.column('created_at', sa.DateTime),
)


def upgrade() -> None:
    op.create_table('budget_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dataset', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('cohort', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('old_total_rho', hub.models.budget.ExactDecimal(length=50), nullable=False),
    sa.Column('new_total_rho', hub.models.budget.ExactDecimal(length=50), nullable=False),
    sa.Column('epsilon', hub.models.budget.ExactDecimal(length=50), nullable=False),
    sa.Column('delta', hub.models.budget.ExactDecimal(length=50), nullable=False),
    sa.Column('changed_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_change'))
    )
    with op.batch_alter_table('budget_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_change_cohort'), ['cohort'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_change_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot_nonce', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))

    _restate_totals()


def _restate_totals() -> None:
    from hub.config import get_settings
    from hub.models.base import utcnow
    from privacy.dp.budget import epsilon_to_rho

    delta = get_settings().privacy_delta
    connection = op.get_bind()
    for account in connection.execute(sa.select(_accounts)).all():
        old = Decimal(account.total_rho)
        if old <= 0:
            continue
        stated = _bun_steinke_epsilon(old, delta)
        new = epsilon_to_rho(stated, delta).quantize(RHO_PLACES, rounding=ROUND_DOWN)
        if new <= old:
            continue
        key = sa.and_(_accounts.c.dataset == account.dataset, _accounts.c.cohort == account.cohort,
                      _accounts.c.purpose == account.purpose)
        connection.execute(sa.update(_accounts).where(key).values(total_rho=new))
        connection.execute(sa.insert(_changes).values(
            dataset=account.dataset, cohort=account.cohort, purpose=account.purpose, old_total_rho=old,
            new_total_rho=new, epsilon=stated, delta=delta, changed_by=CHANGED_BY, reason=REASON,
            created_at=utcnow(),
        ))


def _bun_steinke_epsilon(rho: Decimal, delta: Decimal) -> Decimal:
    """The epsilon the hub stated for ``rho`` before this revision, rounded down to 20 digits.

    Frozen here: epsilon = rho + 2 sqrt(rho ln(1/delta)) (Bun and Steinke 2016, Proposition 1.3).
    """
    work = Context(prec=50)
    epsilon = work.add(rho, work.multiply(2, work.sqrt(work.multiply(rho, work.ln(work.divide(1, delta))))))
    return Context(prec=20, rounding=ROUND_FLOOR).plus(epsilon)


def downgrade() -> None:
    connection = op.get_bind()
    restated = connection.execute(sa.select(_changes).where(_changes.c.changed_by == CHANGED_BY)).all()
    for change in restated:
        key = sa.and_(_accounts.c.dataset == change.dataset, _accounts.c.cohort == change.cohort,
                      _accounts.c.purpose == change.purpose)
        account = connection.execute(sa.select(_accounts).where(key)).one()
        if Decimal(account.total_rho) != Decimal(change.new_total_rho):
            continue  # a steward has set it since: theirs stands
        # Back to the old total, unless more than it has been spent since: then what is spent.
        old = max(Decimal(change.old_total_rho), Decimal(account.spent_rho))
        connection.execute(sa.update(_accounts).where(key).values(total_rho=old))

    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.drop_column('snapshot_nonce')

    with op.batch_alter_table('budget_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_change_created_at'))
        batch_op.drop_index(batch_op.f('ix_budget_change_cohort'))

    op.drop_table('budget_change')
