"""Pure rules of notifications: what a notice is, its texts, quiet hours; no Flask, database or broker."""
