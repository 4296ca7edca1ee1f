"""SIRANo engine: pure Python (no Django): money, schedules, identifiers, legacy import, delays, open data."""
