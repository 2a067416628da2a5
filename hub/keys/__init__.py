"""The hub's keys: the master keys, the data key of each submission and what they seal; the signing keys."""
