"""Skill linking: a line of text to ranked taxonomy skills with the words that name them."""
