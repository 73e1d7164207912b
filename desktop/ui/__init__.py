"""Qt user interface: widgets, item models, dialogs and the task layer."""
