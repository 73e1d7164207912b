"""Panels: each shows one part of the open case, takes the Workspace and a parent widget."""
