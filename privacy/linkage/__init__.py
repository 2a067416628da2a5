"""Resolution of records into persons on the hub: match-key union then CLK comparison.

Pure code over tokens the hub already holds (no identifiers, no database): see
:mod:`privacy.linkage.resolve`.
"""
