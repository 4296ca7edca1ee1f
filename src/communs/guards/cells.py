"""Spreadsheet cells that cannot run: every CSV and XLSX the suite writes goes through `safe_cell`.

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel and
LibreOffice as a formula (`=HYPERLINK("http://…","clic")` typed by a respondent becomes a live link
in the manager's spreadsheet). Such a text gets a leading apostrophe, the spreadsheet convention
for "this is text" (OWASP, "CSV Injection"). Numbers stay numbers, and so does a number
written as text (`-12.5`). `communs.core.downloads.neutralise` is this same function.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` unchanged unless it is text a spreadsheet would run as a formula (a number written as
    text, such as "-12.5", stays as it is)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def safe_row(row) -> list:
    return [safe_cell(value) for value in row]
