"""Absences (отсъствия): recording per lesson, bulk import, excuses, the rule pack's counters and firings."""
