"""Synthetic demo data: partners' monthly exports in their own layouts, with a ground truth.

Used by ``hub demo-data`` and by the linkage benchmarks. No record describes a real person.
"""

from hub.demo.generate import DemoSummary, default_months, generate_demo_data

__all__ = ["DemoSummary", "default_months", "generate_demo_data"]
