"""Public, non-personal information: the landing page and the standard schema."""
