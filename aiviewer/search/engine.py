"""Running searches through the store (placeholder; lands next)."""
