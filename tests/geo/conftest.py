"""Fixtures for the geo tests: the real shipped gazetteer, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.geo.gazetteer import Gazetteer

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "geo"


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    """The gazetteer over the shipped files in resources/geo."""
    gaz = Gazetteer(RESOURCES)
    gaz.load()
    return gaz
