"""Readers that turn files, pasted text and stdin into plain ImportedDocument records."""
