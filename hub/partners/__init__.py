"""Partner organisations: the register the steward keeps, with each organisation's OAuth clients."""
