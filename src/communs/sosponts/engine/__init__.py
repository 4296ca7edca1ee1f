"""SOS Ponts engine: pure Python, no Django.

- `ouvrages`: bridge and wall types, IQOA condition classes (with the S suffix) and the national
  programme's levels, parsed from what people write.
- `triage`: safety first — which words of a mayor's question, or which condition class, make it urgent,
  and what a mayor may do at once.
- `advice`: the first-level advice table (defect → what, when, how, by whom), versioned.
- `text`, `lexical`, `semantic`, `ranking`: the hybrid search that finds similar questions and sheets.
- `imports`: the JSON Lines format of `communs sosponts import-questions`.
"""
