"""Offline geography: gazetteer, place resolver, map pages and basemap tiles (Qt-free)."""
