"""``hub backup`` and ``hub restore``: a demo hub restored into an empty database has the same
reports and budget, its audit chain and its sealed features; a damaged backup restores nothing."""

from __future__ import annotations

import subprocess

import pytest
import sqlalchemy as sa

from tests.factories.databases import HUB, fresh_database, seeded_demo_hub


def _hub(env: dict, *arguments) -> subprocess.CompletedProcess:
    return subprocess.run([HUB, *map(str, arguments)], check=False, env=env, capture_output=True, text=True,
                          timeout=300)


def _rows(url: str, query: str) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(sa.text(query))]
    engine.dispose()
    return rows


REPORTS = "SELECT id, report, period, content_hash, signature FROM release ORDER BY id"
BUDGET = "SELECT dataset, cohort, purpose, total_rho, spent_rho FROM budget_account ORDER BY cohort, purpose"


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory) -> dict:
    tmp_path = tmp_path_factory.mktemp("backup_demo")
    env = seeded_demo_hub(tmp_path, "backup_demo", persons=30)
    made = _hub(env, "backup", tmp_path / "hub.backup")
    assert made.returncode == 0, made.stderr
    return {"env": env, "file": tmp_path / "hub.backup", "tmp": tmp_path}


def _empty_hub(backed_up: dict, name: str) -> dict:
    return {**backed_up["env"], "DATABASE_URL": fresh_database(backed_up["tmp"], name)}


def test_a_backup_restores_into_an_empty_database_with_the_same_reports_budget_and_chain(backed_up):
    source = backed_up["env"]
    target = _empty_hub(backed_up, "restored")
    restored = _hub(target, "restore", backed_up["file"])
    assert restored.returncode == 0, restored.stderr
    assert _rows(target["DATABASE_URL"], REPORTS) == _rows(source["DATABASE_URL"], REPORTS) != []
    assert _rows(target["DATABASE_URL"], BUDGET) == _rows(source["DATABASE_URL"], BUDGET) != []
    assert _hub(target, "budget", "show").stdout == _hub(source, "budget", "show").stdout
    verified = _hub(target, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    last = _hub(target, "audit", "show", "--json", "--after", 0, "--kind", "database.restored")
    assert '"kind":"database.restored"' in last.stdout
    # The sealed features came across and open with the same master keys: the linker reads them all.
    relinked = _hub(target, "link", "--full")
    assert relinked.returncode == 0, relinked.stderr
    # New rows after the restored ones (serial keys continue).
    changed = _hub(target, "budget", "set", "--cohort", _rows(target["DATABASE_URL"], BUDGET)[0][1], "--purpose",
                   "research", "--epsilon", "1.5", "--reason", "a test after the restore")
    assert changed.returncode == 0, changed.stderr


def test_a_backup_is_recorded_in_the_audit_log(backed_up):
    shown = _hub(backed_up["env"], "audit", "show", "--json", "--kind", "backup.made")
    assert shown.returncode == 0 and shown.stdout.count('"kind":"backup.made"') == 1
    assert _hub(backed_up["env"], "audit", "verify").returncode == 0


def test_the_backup_holds_nothing_in_the_clear(backed_up):
    content = backed_up["file"].read_bytes()
    names = [row[0] for row in _rows(backed_up["env"]["DATABASE_URL"], "SELECT name FROM organisation")]
    assert len(names) >= 4
    assert not [name for name in names if name.encode() in content]
    assert b"case-v1" not in content and b"submission" not in content


def test_a_restore_refuses_a_database_that_is_not_empty(backed_up):
    again = _hub(backed_up["env"], "restore", backed_up["file"])
    assert again.returncode == 2 and "not empty" in again.stderr


@pytest.mark.parametrize("damage", ["a changed byte", "cut short", "a frame dropped"])
def test_a_damaged_backup_is_refused_and_restores_nothing(backed_up, damage):
    content = bytearray(backed_up["file"].read_bytes())
    header_end = content.index(b"\n", content.index(b"\n") + 1) + 1
    if damage == "a changed byte":
        content[len(content) // 2] ^= 0x40
    elif damage == "cut short":
        content = content[: len(content) - 40]
    else:
        length = int.from_bytes(content[header_end:header_end + 8], "big")
        content = content[:header_end] + content[header_end + 9 + length:]
    damaged = backed_up["tmp"] / f"damaged-{damage.replace(' ', '-')}.backup"
    damaged.write_bytes(bytes(content))
    checked = _hub(backed_up["env"], "restore", "--check", damaged)
    assert checked.returncode == 2 and "error:" in checked.stderr
    target = _empty_hub(backed_up, f"damaged_{damage.replace(' ', '_')}")
    refused = _hub(target, "restore", damaged)
    assert refused.returncode == 2
    assert _rows(target["DATABASE_URL"], "SELECT COUNT(*) FROM organisation") == [(0,)]
    assert _rows(target["DATABASE_URL"], "SELECT COUNT(*) FROM audit_entry") == [(0,)]


def test_an_intact_backup_checks(backed_up):
    checked = _hub(backed_up["env"], "restore", "--check", backed_up["file"])
    assert checked.returncode == 0, checked.stderr


def _every_table(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, typed as the hub reads them, in primary-key order."""
    from hub.models import SQLModel

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        dump = {table.name: [tuple(row) for row in connection.execute(
            sa.select(table).order_by(*(list(table.primary_key.columns) or list(table.columns))))]
            for table in SQLModel.metadata.sorted_tables}
    engine.dispose()
    return dump


def test_a_restored_database_is_identical_to_the_one_backed_up(backed_up, monkeypatch):
    """Row for row and value for value, in every table; on PostgreSQL written with COPY, not INSERTs."""
    import psycopg

    from hub.backup.service import restore_backup
    from hub.db import make_engine

    source = backed_up["env"]["DATABASE_URL"]
    target = _empty_hub(backed_up, "identical")["DATABASE_URL"]
    copied, inserted = [], []
    real_copy = psycopg.Cursor.copy

    def spied_copy(cursor, statement, *args, **kwargs):
        copied.append(str(statement).split('"')[1])
        return real_copy(cursor, statement, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "copy", spied_copy)
    engine = make_engine(target)
    sa.event.listen(engine, "before_cursor_execute",
                    lambda conn, cursor, statement, *rest: inserted.append(statement)
                    if statement.lstrip().upper().startswith("INSERT") else None)
    restore_backup(engine, backed_up["file"])
    engine.dispose()

    before, after = _every_table(source), _every_table(target)
    assert sum(1 for rows in before.values() if rows) >= 10  # a demo hub: records, persons, releases, budget...
    restored_entry = after["audit_entry"].pop()  # the restore's own entry, appended to the chain it carried
    assert restored_entry[2] == "database.restored"
    # The source's chain went on after the snapshot with the backup's own entry.
    later = before["audit_entry"][len(after["audit_entry"]):]
    assert [entry[2] for entry in later] == ["backup.made"]
    before["audit_entry"] = before["audit_entry"][:len(after["audit_entry"])]
    for name in before:
        if name != "audit_head":
            assert after[name] == before[name], name
    if target.startswith("postgresql"):
        assert set(copied) == {name for name, rows in before.items() if rows and name != "audit_head"} | {"audit_head"}
        # One INSERT only: the restore's audit entry (its head is updated); no row of the backup.
        assert [statement.split()[2] for statement in inserted] == ["audit_entry"]
