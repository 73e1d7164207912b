"""Panels of the workspace: each takes the Workspace and a parent widget and answers by signals."""
