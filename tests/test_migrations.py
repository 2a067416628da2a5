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
