"""HTTP plumbing shared by the four services: app factory, errors, health and metrics."""
