"""The privacy budget: accounts per dataset, cohort and purpose, debited only with a stored release."""
