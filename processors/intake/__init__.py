"""Intake: read, validate, normalise, hash and detect changes in postings."""
