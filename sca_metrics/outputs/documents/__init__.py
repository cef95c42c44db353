"""What every document shares — the context it is made from, its sentences, its parts with their
figures, text fitting and figure placement — so a new document (the readiness report, the roadmap
report, the pack) reuses them without importing another document."""
