"""the pages' sign-in through the hub's OpenID Connect flow, and accounts of an external issuer

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 14:10:00

``authorization_code``: the codes the authorisation endpoint issued, by their SHA-256, each bound
to its client, redirect URI, PKCE challenge and nonce until it is redeemed (deleted) or expires.
``web_user`` gains the ``issuer`` and ``subject`` of an account of an external OpenID Connect
issuer, which has no password (``password_hash`` becomes optional), and its TOTP secret is
sealed at rest under the current master key (``HUB_MASTER_KEY_FILE``): ``totp_secret`` becomes
``totp_sealed`` and ``totp_key_id``, the secrets stored before sealed here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('authorization_code',
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('client_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('redirect_uri', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('nonce', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('code_challenge', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('code_challenge_method', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('auth_time', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['web_user.id'], name=op.f('fk_authorization_code_user_id_web_user')),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_authorization_code'))
    )
    op.create_index(op.f('ix_authorization_code_expires_at'), 'authorization_code', ['expires_at'], unique=False)
    op.create_index(op.f('ix_authorization_code_user_id'), 'authorization_code', ['user_id'], unique=False)
    with op.batch_alter_table('web_user') as batch:
        batch.add_column(sa.Column('issuer', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch.add_column(sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
        batch.alter_column('password_hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=200),
                           nullable=True)
        batch.create_unique_constraint('uq_web_user_issuer_subject', ['issuer', 'subject'])
        batch.add_column(sa.Column('totp_sealed', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('totp_key_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
    _seal_totp_secrets(op.get_bind())
    with op.batch_alter_table('web_user') as batch:
        batch.drop_column('totp_secret')


def _seal_totp_secrets(connection) -> None:
    from hub.keys.master import master_keys
    from hub.keys.totp import totp_context
    from privacy.sealing import seal

    rows = connection.execute(sa.text("SELECT id, totp_secret FROM web_user WHERE totp_secret IS NOT NULL")).all()
    if not rows:
        return
    ring = master_keys()
    for user_id, secret in rows:
        connection.execute(sa.text("UPDATE web_user SET totp_sealed = :sealed, totp_key_id = :key_id WHERE id = :id"),
                           {"sealed": seal(ring.current_key, secret.encode(), totp_context(user_id, ring.current)),
                            "key_id": ring.current, "id": user_id})


def _open_totp_secrets(connection) -> None:
    from hub.keys.master import master_keys
    from hub.keys.totp import totp_context
    from privacy.sealing import open_sealed

    rows = connection.execute(sa.text(
        "SELECT id, totp_sealed, totp_key_id FROM web_user WHERE totp_sealed IS NOT NULL")).all()
    if not rows:
        return
    ring = master_keys()
    for user_id, sealed, key_id in rows:
        secret = open_sealed(ring.key(key_id), bytes(sealed), totp_context(user_id, key_id)).decode()
        connection.execute(sa.text("UPDATE web_user SET totp_secret = :secret WHERE id = :id"),
                           {"secret": secret, "id": user_id})


def downgrade() -> None:
    with op.batch_alter_table('web_user') as batch:
        batch.add_column(sa.Column('totp_secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    _open_totp_secrets(op.get_bind())
    with op.batch_alter_table('web_user') as batch:
        batch.drop_column('totp_key_id')
        batch.drop_column('totp_sealed')
    op.drop_index(op.f('ix_authorization_code_user_id'), table_name='authorization_code')
    op.drop_index(op.f('ix_authorization_code_expires_at'), table_name='authorization_code')
    op.drop_table('authorization_code')
    # An external account has no password: it cannot live in the older table.
    op.execute(sa.text("DELETE FROM web_session WHERE user_id IN (SELECT id FROM web_user WHERE password_hash IS NULL)"))
    op.execute(sa.text("DELETE FROM web_user WHERE password_hash IS NULL"))
    with op.batch_alter_table('web_user') as batch:
        batch.drop_constraint('uq_web_user_issuer_subject', type_='unique')
        batch.alter_column('password_hash', existing_type=sqlmodel.sql.sqltypes.AutoString(length=200),
                           nullable=False)
        batch.drop_column('subject')
        batch.drop_column('issuer')
