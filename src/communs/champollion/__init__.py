"""Champollion: Analyse des DSN : contrats précaires et ciblage des contrôles."""
