"""Write paths faster than plain SQLAlchemy, kept only where a benchmark figure needs them.

Everything else writes with plain SQLAlchemy.  Each module's docstring gives the figure that
justifies it, measured against the plain alternative in the same run (``bench/bench_absences.py``
has the goals).  Remove a module once the plain way meets its figure.
"""
