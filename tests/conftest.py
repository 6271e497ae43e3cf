"""Shared fixtures: the project's corpus and the shared development corpus beside the project."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
CORPUS_DEV = SHARED / "corpus-dev"


def corpus_dev_texts() -> list[Path]:
    return sorted(CORPUS_DEV.glob("*.txt")) if CORPUS_DEV.is_dir() else []


@pytest.fixture
def corpus_dev() -> Path:
    if not CORPUS_DEV.is_dir():
        pytest.skip(f"{CORPUS_DEV} is absent")
    return CORPUS_DEV
