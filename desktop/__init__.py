"""Casedesk: an offline workstation for analysts who review entities in news and reports."""
