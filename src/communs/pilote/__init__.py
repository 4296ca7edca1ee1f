"""PILOTE: Pilotage des politiques prioritaires."""
