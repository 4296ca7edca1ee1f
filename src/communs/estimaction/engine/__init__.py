"""Estim'Action: the pure-Python domain core (no Django import)."""
