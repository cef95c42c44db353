"""The briefing pack's deck layout and its two writers (PowerPoint, PDF); the pack itself is
built by sca_metrics.outputs.briefing."""
