"""Qt item models: one per table, columns as IntEnum, custom roles at UserRole + n."""
