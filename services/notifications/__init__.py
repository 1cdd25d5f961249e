"""notifications — telling guardians and staff (уведомяване), exactly once, on every channel that works."""
