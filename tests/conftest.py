"""Shared fixtures: every test gets its own data directory; Qt runs headless."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
_SEED_NAME = "yanta-ip-demonstration-county-work-plan-2024-2026.txt"
# The plan text: the team's shared copy beside the checkout when there is one, else the copy kept in
# tests/assets/seed/ (identical; a test below checks that while both exist).
SEED = next(
    p
    for p in (REPO.parent / "shared" / "seed" / _SEED_NAME, REPO / "tests" / "assets" / "seed" / _SEED_NAME)
    if p.exists()
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, isolated data directory (also exported as YANTA_DATA_DIR)."""
    root = tmp_path / "data"
    root.mkdir()
    monkeypatch.setenv("YANTA_DATA_DIR", str(root))
    monkeypatch.setenv("YANTA_PASSPHRASE", "测试口令-correct horse")
    return root


@pytest.fixture(scope="session")
def catalog():
    from yanta_desktop.catalog import load_catalog

    return load_catalog()


@pytest.fixture(scope="session")
def plan():
    from yanta_desktop.plan import load_plan

    return load_plan()
