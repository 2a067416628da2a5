"""The standard case schema: versioned data files and the loader both sides use."""

from schemas.loader import Enumeration, Field, Schema, UploadField, load_schema

__all__ = ["Enumeration", "Field", "Schema", "UploadField", "load_schema"]
