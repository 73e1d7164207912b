"""Tests here run on both engines: ``case`` is a case file, then a PostgreSQL database."""

from __future__ import annotations

import pytest


@pytest.fixture
def case(any_case):  # noqa: ANN001, ANN201
    """The case of ``any_case``: each test runs on SQLite and on PostgreSQL."""
    return any_case
