"""Hyteopas / Hyteguiden: HYTE service guidance for Finnish wellbeing services counties."""

__version__ = "0.1.0"
