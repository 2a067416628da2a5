"""Linkage calibrations: which classes of weak evidence the hub trusted, and the counts behind it.

A calibration is measured on every live record by a full resolution
(:mod:`privacy.linkage.namesakes`) and kept, one row per measurement, never changed: incremental
runs resolve a neighbourhood with the latest one, so that they judge weak evidence as a full run
over the same population would. Only counts of record pairs are kept, nothing about a person.
"""

import json
from datetime import datetime

from sqlmodel import Field, SQLModel

from hub.models.base import new_id, utcnow


class LinkageCalibration(SQLModel, table=True):
    __tablename__ = "linkage_calibration"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    records: int = Field(description="Live records the calibration was measured on.")
    evidence: str = Field(description="JSON list of classes: label, relation, name, within, across, precision, trusted.")

    @classmethod
    def measured(cls, records: int, evidence: dict) -> "LinkageCalibration":
        """A calibration from a resolver's ``evidence`` ({(label, relation, name): ClassCount})."""
        entries = [
            {"label": label, "relation": relation, "name": name, "within": count.within, "across": count.across,
             "precision": round(count.expected_precision, 4), "trusted": count.accepted}
            for (label, relation, name), count in sorted(evidence.items())
        ]
        return cls(records=records, evidence=json.dumps(entries))

    def classes(self) -> list[dict]:
        """Every class measured, with its counts and whether it is trusted."""
        return json.loads(self.evidence)

    def trusted_classes(self) -> frozenset[tuple[str, str, str]]:
        return frozenset((c["label"], c["relation"], c["name"]) for c in self.classes() if c["trusted"])
