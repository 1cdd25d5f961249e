"""Pure rules of the school: the calendar's school-day arithmetic, dates, and the base of every rule violation.

Nothing here touches Flask, the database, the broker or the environment: plain data in, plain data out.
"""
