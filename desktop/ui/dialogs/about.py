"""About dialog: version, and every shipped data set and model with license and attribution."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.attributions import ATTRIBUTIONS
from desktop.version import APP_NAME, app_version


def about_html() -> str:
    """Return the About text as HTML."""
    rows = "".join(
        f"<tr><td><b>{escape(a.name)}</b><br>{escape(a.used_for)}</td>"
        f"<td>{escape(a.license)}</td><td>{escape(a.credit)}</td></tr>"
        for a in ATTRIBUTIONS
    )
    return (
        f"<h2>{APP_NAME} {escape(app_version())}</h2>"
        "<p>An offline workstation for analysts: import articles, review extracted entities, "
        "map the places they mention. Nothing leaves this machine.</p>"
        "<h3>Data and models shipped with Casedesk</h3>"
        f"<table border='1' cellpadding='4' cellspacing='0'><tr><th>What</th><th>License</th>"
        f"<th>Attribution</th></tr>{rows}</table>"
    )


class AboutDialog(QDialog):
    """Shows the version and the attributions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.resize(760, 560)
        self.browser = QTextBrowser()
        self.browser.setHtml(about_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
