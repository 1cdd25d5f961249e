"""Print sets (комплекти за печат): documents printed as one PDF, each starting on its own page."""
