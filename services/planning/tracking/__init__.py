"""Tracked items (следени срокове): plan activities and procedures, the overdue list, dashboard and sweep."""
