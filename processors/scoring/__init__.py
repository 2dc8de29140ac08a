"""Scoring: a profile against a derived posting — fit, stretch, practical fit, explained (issue 4)."""
