"""The official French territorial reference (régions, départements, EPCI, communes)."""
