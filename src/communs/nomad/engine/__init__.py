"""Nomad's pure parts: recurrence, booking rules, catering forecast, occupancy, plan, spaces file, ICS."""
