"""Sanctions and measures (санкции и мерки): procedures, the suggestion and removals (Правилник Чл. 52–60)."""
