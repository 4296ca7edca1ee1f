"""Estim'Action: Exposition au bruit et à la pollution de l'air, impacts sanitaires."""
