"""Annotations: anchoring passages in texts that change (pure, no store)."""
