"""Grades, term results and class progression (оценяване), Правилник Чл. 124–144.

Pure domain code: plain data in, plain data out. Nothing here touches Flask, the database, the
broker or the environment. The school calendar comes in through :class:`SchoolDayCalendar`, a
protocol, so any calendar with the same three operations will do.
"""
