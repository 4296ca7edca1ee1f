"""Écosphères engine: harvest catalogues into one DCAT-AP model, deduplicate, score, index (pure Python)."""
