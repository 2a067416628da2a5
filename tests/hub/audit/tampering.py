"""Changing the audit log behind the hub's back, as an operator with database access could."""

from __future__ import annotations

import sqlalchemy as sa

TRIGGERS = {
    "sqlite": ["audit_entry_no_update", "audit_entry_no_delete", "audit_checkpoint_no_update",
               "audit_checkpoint_no_delete"],
}


def disable_append_only(connection) -> None:
    """Take the append-only triggers away (inside the caller's transaction, so a rollback brings them back)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"))
        connection.execute(sa.text("ALTER TABLE audit_checkpoint DISABLE TRIGGER audit_checkpoint_append_only"))
    else:
        for trigger in TRIGGERS["sqlite"]:
            connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {trigger}"))


def change_entry(connection, seq: int) -> None:
    connection.execute(sa.text("UPDATE audit_entry SET subject = 'someone-else' WHERE seq = :seq"), {"seq": seq})


def delete_entry(connection, seq: int) -> None:
    connection.execute(sa.text("DELETE FROM audit_entry WHERE seq = :seq"), {"seq": seq})


def swap_entries(connection, first: int, second: int) -> None:
    """Swap two entries' places in the sequence (each keeps its own hashes)."""
    parking = -1
    for old, new in ((first, parking), (second, first), (parking, second)):
        connection.execute(sa.text("UPDATE audit_entry SET seq = :new WHERE seq = :old"), {"old": old, "new": new})
