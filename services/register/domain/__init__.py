"""Pure domain layer of the register service (дневник): calendar, identity, absences, excuses, rules.

Nothing here touches Flask, the database, the broker or the environment: plain data in, plain data
out, so the same functions serve the HTTP API, the workers and the tests.
"""
