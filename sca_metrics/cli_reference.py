"""Writes the command-line reference, docs/developing/cli.md, from the parser:
`python -m sca_metrics.cli_reference` (a test fails when the file is stale)."""

from pathlib import Path

from sca_metrics.cli import reference

TARGET = Path(__file__).resolve().parent.parent / "docs" / "developing" / "cli.md"

if __name__ == "__main__":
    TARGET.write_text(reference(), encoding="utf-8")
    print(TARGET)
