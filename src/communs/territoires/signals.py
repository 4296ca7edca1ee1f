"""Signals of the territorial reference, for apps that keep something derived from it in memory."""

from django.dispatch import Signal

# Sent (sender = the load function) after `services.load_reference` committed a (re)load.
reference_changed = Signal()
