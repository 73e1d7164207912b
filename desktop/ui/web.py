"""Offline web engine: a profile that serves basemap tiles locally and blocks network requests."""

from __future__ import annotations

import logging
import threading
from urllib.parse import urlsplit

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Signal
from PySide6.QtWebEngineCore import (
    QWebEngineProfile,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from desktop.services.maps import TileStore, tile_coords

log = logging.getLogger(__name__)

TILE_SCHEME = b"casedesk-tile"
TILE_URL = "casedesk-tile:/{z}/{x}/{y}.png"
NETWORK_SCHEMES = {"http", "https", "ws", "wss", "ftp"}


def register_schemes() -> None:
    """Declare the tile scheme; must run before the QApplication is created."""
    if QWebEngineUrlScheme.schemeByName(TILE_SCHEME).name() == TILE_SCHEME:
        return
    scheme = QWebEngineUrlScheme(TILE_SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Path)
    # Local: only local pages (our file:// map) may load it; without this flag no tile loads.
    scheme.setFlags(
        QWebEngineUrlScheme.Flag.LocalScheme | QWebEngineUrlScheme.Flag.LocalAccessAllowed
    )
    QWebEngineUrlScheme.registerScheme(scheme)


class TileSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers casedesk-tile:/z/x/y.png from the offline basemap."""

    def __init__(self, store: TileStore | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.served = 0

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802
        """Reply with the tile's bytes, or fail with 'not found'."""
        coords = tile_coords(job.requestUrl().path())
        data = self.store.tile(*coords) if (self.store and coords) else None
        if data is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        buffer = QBuffer(job)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.served += 1
        job.reply(QByteArray(self.store.mime_type.encode()), buffer)


class OfflineInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks and records every request that would leave the machine.

    The analyst may name a tile server in the settings; only that host is then let through.
    """

    blocked_request = Signal(str)

    def __init__(
        self, allowed_hosts: set[str] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.allowed_hosts = set(allowed_hosts or ())
        self._lock = threading.Lock()
        self._blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802
        """Runs on the web engine's IO thread for every request."""
        url = info.requestUrl()
        if url.scheme().lower() not in NETWORK_SCHEMES:
            return
        if url.host().lower() in self.allowed_hosts:
            return
        info.block(True)
        log.warning("blocked a request that would leave the machine: %s", url.toString())
        with self._lock:
            self._blocked.append(url.toString())
        self.blocked_request.emit(url.toString())

    @property
    def blocked(self) -> list[str]:
        """Every request blocked so far."""
        with self._lock:
            return list(self._blocked)


def allowed_hosts_for(tile_url: str) -> set[str]:
    """The host of an analyst-configured tile server, if any."""
    if not tile_url:
        return set()
    host = urlsplit(tile_url.replace("{", "").replace("}", "")).hostname
    return {host.lower()} if host else set()


class OfflineProfile(QObject):
    """An off-the-record web profile with the tile handler and the network interceptor."""

    def __init__(
        self, store: TileStore | None, tile_url: str = "", parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.profile = QWebEngineProfile(self)  # no name: off the record, nothing cached on disk
        self.profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
        self.interceptor = OfflineInterceptor(allowed_hosts_for(tile_url), self)
        self.tiles = TileSchemeHandler(store, self)
        self.profile.setUrlRequestInterceptor(self.interceptor)
        self.profile.installUrlSchemeHandler(TILE_SCHEME, self.tiles)
