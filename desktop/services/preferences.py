"""What the preferences offer: the spaCy pipelines that can be chosen for each language."""

from __future__ import annotations

from pathlib import Path

from desktop.nlp.catalog import PipelineCatalog
from desktop.paths import models_dir


def pipeline_choices(models: Path | None = None) -> dict[str, list[tuple[str, str]]]:
    """Return, per language, the pipelines found as (name, source), best first.

    Nothing is loaded: shipped folders are read from their meta.json and installed packages are
    only looked up, so this is quick enough for a dialog.

    Args:
        models: Folder of shipped pipelines; the application's resources by default.

    Returns:
        Language code -> [(pipeline name, "shipped" | "pinned" | "installed"), ...].
    """
    catalog = PipelineCatalog(models or models_dir())
    return {lang: [(info.name, info.source) for info in catalog.available(lang)]
            for lang in catalog.languages()}
