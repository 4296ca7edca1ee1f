"""Recens'smart: the pure-Python domain core (no Django import)."""
