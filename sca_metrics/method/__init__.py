"""The method: scores, their uncertainty and diagnostics, progress to targets, the pilot, the tracker."""
