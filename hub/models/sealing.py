"""What is sealed at rest: each submission's data key (wrapped by a master key) and its sealed features.

The comparison features of a chunk's blocks are one AES-GCM value under the submission's data key
(``SealedFeatures``); each ``RecordBlock`` says where in it its own features lie. Deleting a
submission's rows deletes its data key with them, after which no copy of its sealed features
(in a backup, say) can be opened.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel

from hub.models.base import utcnow


class DataKey(SQLModel, table=True):
    """A submission's data key, wrapped (AES-GCM) by the master key ``key_id``."""

    __tablename__ = "data_key"

    submission_id: str = Field(primary_key=True, max_length=32)
    key_id: str = Field(max_length=40, index=True, description="The master key that wraps it.")
    wrapped: bytes = Field(description="nonce, the data key encrypted, tag (privacy.sealing).")
    created_at: datetime = Field(default_factory=utcnow)


class SealedFeatures(SQLModel, table=True):
    """The packed features of one chunk's blocks, concatenated, sealed under the submission's data key."""

    __tablename__ = "sealed_features"

    submission_id: str = Field(primary_key=True, max_length=32)
    chunk: int = Field(primary_key=True)
    sealed: bytes
