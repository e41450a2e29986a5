"""Spelling suggestions (placeholder; the whoosh corrector lands next)."""
