"""Outputs: figures, the briefing pack, data exports and server-side rendering."""
