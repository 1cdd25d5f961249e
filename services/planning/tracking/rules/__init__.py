"""Pure rules of tracking: an item's state against today, and whose item it is (no Flask, database, broker)."""
