"""Standard reports: differentially private tables over persons, published per period."""
