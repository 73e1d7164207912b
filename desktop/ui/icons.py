"""Icons from qtawesome, named by what they do."""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtGui import QIcon

_NAMES = {
    "new_case": "fa5s.folder-plus",
    "open_case": "fa5s.folder-open",
    "open_shared_case": "fa5s.server",
    "import": "fa5s.file-import",
    "import_folder": "fa5s.folder",
    "paste": "fa5s.paste",
    "new_document": "fa5s.file-alt",
    "export": "fa5s.file-export",
    "extract": "fa5s.magic",
    "cancel": "fa5s.times-circle",
    "about": "fa5s.info-circle",
    "map": "fa5s.globe-europe",
    "accept": "fa5s.check",
    "reject": "fa5s.times",
    "search": "fa5s.search",
    "quit": "fa5s.sign-out-alt",
    "preferences": "fa5s.sliders-h",
    "teach": "fa5s.graduation-cap",
    "versions": "fa5s.history",
}


def icon(name: str) -> QIcon:
    """Return the icon for an action name."""
    return qta.icon(_NAMES[name])
