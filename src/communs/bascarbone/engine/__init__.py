"""État bas carbone: the pure-Python domain core (no Django import)."""
