"""Menu and toolbar actions, each group built from the Workspace and a parent widget."""
