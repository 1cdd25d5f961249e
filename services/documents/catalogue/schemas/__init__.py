"""Context schemas of the shipped templates (what each document needs), with Bulgarian messages."""
