"""Encryption at rest: the master keys, the data key of each submission, and what they seal."""
