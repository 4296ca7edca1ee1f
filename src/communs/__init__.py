"""Communs: a suite of public digital services for French administrations."""
