"""The use cases, between the pages (and the command line) and the engine.

A page or a command calls a service with plain arguments and the database handle, and renders
what it returns; it does not reach into the store, the intake or the method (an import-linter
contract in pyproject.toml says so). One module per use case:

- `database`  — opening the database for the dashboard or a command, its errors, backups;
- `readiness` — the scores, the values behind them, the pilot's indicators and wards;
- `upload`    — templates, checking and previewing a return, saving it, withdrawing one;
- `rounds`    — who has returned what for a period, and who has not;
- `roadmap`   — the roadmap's tasks, flags, budget and comments, and answering a comment;
- `whatif`    — scoring schemes: reading, changing, linking, scoring with uncertainty;
- `admin`     — roles and the audit log;
- `exports`   — the registry of deliverables (pack, reports, data) and their builders.
"""
