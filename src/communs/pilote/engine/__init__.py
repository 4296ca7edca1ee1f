"""PILOTE: the pure-Python domain core (no Django import)."""
