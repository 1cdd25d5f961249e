"""Pure rules of exams (Чл. 125, ал. 3; Чл. 126; Чл. 137; Чл. 143): no Flask, no broker, no database."""
