"""Komga clients replayed: the field rules each app decodes with and the calls each app makes."""
