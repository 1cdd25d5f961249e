"""The school (училище): its letterhead data, its school years and their calendars (Чл. 113–116)."""
