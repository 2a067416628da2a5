"""The ``hub`` command: database, server, organisations, clients, demo data, linkage, reports, budget, audit.

Every command works on the database that ``DATABASE_URL`` names (default: a SQLite file in var/).
"""

from hub.cli import audit, data, partners, privacy  # noqa: F401 - registers their commands on ``main``
from hub.cli.app import main

__all__ = ["main"]
