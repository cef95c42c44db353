"""The pins and the locks agree: every direct requirement is pinned, and each lock holds the
same version of it (a fresh machine installs the lock)."""

from __future__ import annotations

import re

from sca_metrics.settings import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[a-z,]+\])?==([^\s;#]+)", re.M)


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    found = {n.lower().replace("_", "-"): v for n, v in PIN.findall(text)}
    for line in text.splitlines():
        if line.startswith("-r "):
            found |= pins(line[3:].strip())
        elif line.strip() and not line.lstrip().startswith("#"):
            assert PIN.match(line), f"{name}: not pinned: {line}"
    return found


def test_every_direct_requirement_is_pinned_and_locked_at_that_version():
    for source, lock in (("requirements.txt", "requirements.lock"),
                         ("requirements-dev.txt", "requirements-dev.lock")):
        locked = pins(lock)
        for name, version in pins(source).items():
            assert locked.get(name) == version, f"{lock}: {name} {locked.get(name)} ≠ {version}"


def test_the_runtime_lock_is_part_of_the_development_lock():
    dev = pins("requirements-dev.lock")
    for name, version in pins("requirements.lock").items():
        assert dev.get(name) == version, name


def test_the_wheel_lists_every_package_of_the_engine():
    """The wheel's package list is written out (the data folder is mapped into it): a package
    added to sca_metrics/ and left out of it installed a `sca` that failed to start."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "sca_metrics").rglob("__init__.py")
             if "__pycache__" not in p.parts}
    assert found - listed == set()
