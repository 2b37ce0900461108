"""Refinement: render, compare with the photo, adjust the spec until they match (pure Python)."""
