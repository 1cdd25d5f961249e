"""Procedural deadlines (процедурни срокове): announced by the register, or the rulebook's recurring duties."""
