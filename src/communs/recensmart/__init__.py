"""Recens'smart: Questionnaires web accessibles générés depuis une spécification."""
