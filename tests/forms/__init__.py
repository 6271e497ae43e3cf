"""Fixtures for issue 13: the standard forms A–E as grids with chosen values, rendered the seven ways of FORMS.md."""
