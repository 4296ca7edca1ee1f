"""Inondata engine: terrain from LiDAR, priority-flood spill levels, hydrograph frames, buildings.

Pure Python and NumPy (numba and the geospatial readers are imported inside the functions that use
them); no Django. The model is a static "bathtub" fill: no volume conservation, no friction, no
rainfall (see `limits.py`).
"""
