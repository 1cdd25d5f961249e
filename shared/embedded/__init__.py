"""The embedded default: everything a school needs on one machine, with no system services."""
