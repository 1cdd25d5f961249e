"""The weekly timetable (седмично разписание, Чл. 113, ал. 3), its one-day changes (Чл. 114) and the
lessons the timetable has and the register does not (невписани часове)."""
