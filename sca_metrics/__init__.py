"""sca_metrics — the engine of the smart-city readiness dashboard (no streamlit here)."""

__version__ = "0.1.0"
