"""Pure logic of the timetable: the bell schedule, a timetable's checks, a day's lessons."""
