"""Use cases of Casedesk, free of Qt: each owns its transactions and returns plain data."""
