"""People of the school (хора): user accounts, classes and assignments, students and guardians, access."""
