"""Pure-Python core of the territorial reference: text normalisation, reference file reader, contours reader.

No Django import here (import-linter contract): the loader and selectors call these functions.
"""
