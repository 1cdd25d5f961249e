"""Assessment (оценяване): current grades, term and annual results, class works (Правилник Чл. 124–144)."""
