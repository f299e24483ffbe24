"""Matching questions to services: language, normalisation, synonyms, places, index, ranking.

Pure domain code: nothing here knows of Telegram, HTTP or the database.
"""
