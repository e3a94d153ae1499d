"""Councillor Hub: a training resource hub for UK councillors, built with MkDocs.

All logic lives here; the MkDocs hook files in ``hooks/`` only call into this package,
and this package never imports mkdocs (see CONVENTIONS.md, "Thin hooks").
"""

__version__ = "0.1.0"
