"""The matching jury (seed 000): Oscar argues for a match, Rita lists its gaps, Helen decides."""
