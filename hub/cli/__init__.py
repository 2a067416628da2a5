"""The ``hub`` command: database, server, organisations, clients, demo data, linkage, reports, budget, audit,
keys, backups.

Every command works on the database that ``DATABASE_URL`` names (default: a SQLite file in var/).
"""

from hub.cli import audit, backups, data, keys, partners, privacy, users  # noqa: F401 - registers their commands on ``main``
from hub.cli.app import main

__all__ = ["main"]
