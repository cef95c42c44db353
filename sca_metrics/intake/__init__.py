"""Intake: survey templates out, returned workbooks in — read safely, validated, stored."""
