"""The errors a case file (.cdcase) raises, each with a one-line message for the analyst."""

from __future__ import annotations


class CaseFileError(ValueError):
    """A case file cannot be read, verified or restored; the message is one line for the user."""


class UnsafeArchiveError(CaseFileError):
    """A member would land outside the target folder, or the archive inflates beyond the limits."""


class ManifestError(CaseFileError):
    """manifest.json is missing or garbled, or the archive is not a Casedesk case file."""


class UnsupportedVersionError(ManifestError):
    """The case file was written in a format version this build does not read."""


class IntegrityError(CaseFileError):
    """A member does not match the SHA-256 and size its manifest records, or its signature."""
