"""Pure rules of absences (отсъствия): counting, periods, excuses, the rule pack and its evaluation.

Nothing here touches Flask, the database, the broker or the environment: plain data in, plain data
out, so the same functions serve the HTTP API, the workers and the tests.
"""
