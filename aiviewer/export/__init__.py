"""Exports of the user's annotations, and the readers that bring them back.

Every module here is pure: it gets plain lists of `Annotation` and `Tag` (the
Library gathers them) and returns text or writes one file.  Each format has its
own module: `markdown`, `csv_export`, `w3c` (JSON-LD, read back losslessly),
`qdpx` (REFI-QDA project, read back), `html` (a printable page).  Anything from a
transcript or a note is treated as untrusted text in every format.
"""
