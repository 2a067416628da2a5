"""Linkage runs: what each run of the linkage did, the model it used and its own quality estimate.

A full run fits the model (m and u per comparison level, the prior: :mod:`privacy.linkage.model`)
on every live record and stores it here; incremental runs resolve a neighbourhood with the latest
full run's model, so that they judge pairs as a full run over the same population would. Only
counts and probabilities are kept, nothing about a person.
"""

import json
from datetime import datetime

from sqlmodel import Field, SQLModel

from hub.models.base import new_id, utcnow


class LinkageRun(SQLModel, table=True):
    __tablename__ = "linkage_run"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    full: bool = Field(description="A full run (fits the model) or an incremental one.")
    records: int = Field(description="Live records when the run ended.")
    records_resolved: int = Field(description="Records the run resolved (the neighbourhood of what changed).")
    persons: int = Field(description="Persons when the run ended.")
    model: str = Field(description="The model used, as JSON (privacy.linkage.model.MatchModel).")
    quality: str = Field(description="The model's estimate of its errors over the records resolved, as JSON.")

    def quality_figures(self) -> dict:
        return json.loads(self.quality)
