"""register — the class register (дневник): school, calendar, people, absences, grades, sanctions."""
