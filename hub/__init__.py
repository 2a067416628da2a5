"""The counter-trafficking data hub: the web service and its domains."""
