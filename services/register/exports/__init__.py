"""Monthly exports for НЕИСПУО and the РУО (месечни справки, Чл. 97, т. 10 и т. 15)."""
