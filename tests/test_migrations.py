"""The migrations build exactly the tables the models declare, and the records table follows the schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from hub.models import Record, SQLModel
from schemas import load_schema


def test_migrated_database_has_no_drift_from_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_record_columns_are_the_schemas_upload_fields():
    stored = set(Record.__table__.columns.keys()) - {"submission_id", "row", "case_ref", "clk"}
    assert stored == set(load_schema("case-v1").upload_field_names)


def test_revision_0007_restates_old_totals_at_the_same_epsilon_and_records_it(tmp_path):
    """Totals stored under the Bun-Steinke bound keep their stated epsilon and gain the rho the tight conversion allows."""
    from decimal import Decimal

    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from privacy.dp.budget import rho_to_epsilon
    from tests.factories.databases import ROOT, empty_database

    url = empty_database("restate_totals")
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, ScriptDirectory.from_config(config).get_revision("0007").down_revision)
    old_default = "0.015047247901893932558851"  # epsilon 1 at delta 1e-7 under the Bun-Steinke bound, as stored
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO budget_account (dataset, cohort, purpose, total_rho, spent_rho, updated_at) "
            "VALUES ('case-v1', '2025-10', 'reports', :total, :spent, CURRENT_TIMESTAMP)"
        ), {"total": old_default, "spent": "0.004514174370568179767655"})
    command.upgrade(config, "head")
    with engine.connect() as connection:
        total, spent = connection.execute(sa.text("SELECT total_rho, spent_rho FROM budget_account")).one()
        (change,) = connection.execute(sa.text("SELECT old_total_rho, new_total_rho, changed_by FROM budget_change"))
    engine.dispose()
    stated = rho_to_epsilon(Decimal(total), Decimal("1e-7"))
    assert Decimal(1) - Decimal("1e-12") <= stated <= 1  # the same epsilon, never more
    assert Decimal(total) / Decimal(old_default) > Decimal("1.34")
    assert Decimal(spent) == Decimal("0.004514174370568179767655")
    assert Decimal(change.old_total_rho) == Decimal(old_default) and Decimal(change.new_total_rho) == Decimal(total)
    assert "migration 0007" in change.changed_by


def test_revision_0010_drops_the_free_text_of_stored_rejections(tmp_path):
    """Reasons stored as text before 0009 (which could hold anything) become the code ``legacy``."""
    import json

    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from tests.factories.databases import ROOT, empty_database

    url = empty_database("scrub_rejections")
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "0009")
    engine = sa.create_engine(url)
    text = "Fatima Begum +977 9812345678"
    old_receipt = {"seq": 1, "rows": 1, "accepted": 0, "rejected": 1,
                   "errors": [{"row": 1, "field": "age", "message": text}]}
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO organisation (id, name, type, created_at) "
                                   "VALUES ('o1', 'Shelter', 'ngo', CURRENT_TIMESTAMP)"))
        connection.execute(sa.text(
            "INSERT INTO submission (id, organisation_id, client_id, dataset, period, version, status, on_invalid, "
            "linkage_secret_version, rows_received, accepted, rejected, created_at) VALUES ('s1', 'o1', 'c1', "
            "'case-v1', '2026-10', 1, 'open', 'skip', 1, 1, 0, 0, CURRENT_TIMESTAMP)"))
        connection.execute(sa.text("INSERT INTO submission_error (submission_id, row, field, message) "
                                   "VALUES ('s1', 1, 'age', :text)"), {"text": text})
        connection.execute(sa.text("INSERT INTO submission_chunk (submission_id, seq, row_count, checksum, receipt, "
                                   "received_at) VALUES ('s1', 1, 1, 'x', :receipt, CURRENT_TIMESTAMP)"),
                           {"receipt": json.dumps(old_receipt)})
    command.upgrade(config, "head")
    with engine.connect() as connection:
        errors = connection.execute(sa.text("SELECT row, field, code FROM submission_error")).all()
        receipt = connection.execute(sa.text("SELECT receipt FROM submission_chunk")).scalar_one()
    engine.dispose()
    assert [tuple(error) for error in errors] == [(1, "age", "legacy")]
    assert "Fatima" not in receipt and json.loads(receipt)["errors"][0]["code"] == "legacy"


def test_revision_0012_seals_the_features_already_stored_and_the_linker_still_reads_them():
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config
    from sqlmodel import Session

    from hub.linkage.load import linkage_records
    from tests.factories.databases import ROOT, empty_database

    url = empty_database("seal_existing")
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "0011")
    features = {("dob", 1): bytes(range(18)), ("names", 1): b"\x01" * 27, ("dob", 2): b"\x02" * 9}
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO organisation (id, name, type, created_at) "
                                   "VALUES ('org1', 'Shelter', 'ngo', CURRENT_TIMESTAMP)"))
        connection.execute(sa.text(
            "INSERT INTO submission (id, organisation_id, client_id, dataset, period, version, status, on_invalid, "
            "linkage_secret_version, rows_received, accepted, rejected, created_at) VALUES ('sub1', 'org1', 'c_1', "
            "'case-v1', '2026-10', 1, 'accepted', 'skip', 1, 2, 2, 0, CURRENT_TIMESTAMP)"))
        for row in (1, 2):
            connection.execute(sa.text("INSERT INTO record (submission_id, row, case_ref, registration_month) "
                                       "VALUES ('sub1', :row, :ref, '2026-10')"), {"row": row, "ref": bytes([row])})
        for (label, row), value in features.items():
            connection.execute(sa.text("INSERT INTO record_block (submission_id, row, label, token, features) "
                                       "VALUES ('sub1', :row, :label, :token, :features)"),
                               {"row": row, "label": label, "token": label.encode() * 4, "features": value})
    command.upgrade(config, "head")
    with Session(engine) as session:
        read = {(label, int(record.key.split(":")[1])): stored
                for record in linkage_records(session, [("sub1", 1), ("sub1", 2)])
                for label, (_, stored) in record.blocks.items()}
        sealed = session.execute(sa.text("SELECT sealed FROM sealed_features")).scalars().all()
    engine.dispose()
    assert read == features
    assert len(sealed) == 1 and bytes(range(18)) not in sealed[0]
