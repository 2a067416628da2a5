"""Submissions: partners' monthly case records, uploaded in chunks and completed atomically."""
