"""Differentially private releases over persons: count tables, partner overlaps, budget currency.

Pure code: functions take the person frame, the query and the budget, and return the release;
no HTTP, no database, no state between calls. OpenDP adds the noise and accounts for it (see
:mod:`privacy.dp.gaussian`) and converts rho to epsilon (see :mod:`privacy.dp.budget`); those two
modules import it and enable its ``"contrib"`` flag.
"""

from privacy.dp.budget import epsilon_to_rho, rho_to_epsilon
from privacy.dp.overlap import MAX_PARTNERS, make_overlap_release
from privacy.dp.release import Cell, CountRelease, accuracy, finish_table, make_count_release, measure_table
from privacy.dp.tables import UNKNOWN, Dimension, Sensitivity, TableQuery, table_sensitivity

__all__ = [
    "MAX_PARTNERS",
    "UNKNOWN",
    "Cell",
    "CountRelease",
    "Dimension",
    "Sensitivity",
    "TableQuery",
    "accuracy",
    "epsilon_to_rho",
    "finish_table",
    "make_count_release",
    "make_overlap_release",
    "measure_table",
    "rho_to_epsilon",
    "table_sensitivity",
]
