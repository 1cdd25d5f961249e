"""Layouts of the shipped templates: python-docx code that writes each .docx, Jinja tags included."""
