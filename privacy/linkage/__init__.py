"""Resolution of records into persons on the hub: a probabilistic model of record pairs over keyed
comparison features, then clusters of links guarded against chaining.

Pure code over what the hub already holds (no identifiers, no database): see
:mod:`privacy.linkage.resolve`.
"""
