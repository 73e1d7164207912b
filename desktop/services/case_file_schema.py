"""The shapes a case file's JSON members must have, checked before any of it is read."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import jsonschema
from sqlalchemy.types import JSON, Boolean, Float, Integer

from db.models import Base, CasePipeline
from desktop.services.case_file_errors import CaseFileError
from desktop.services.case_file_pipelines import BLOB, PIPELINES
from desktop.services.export_case import EXPORTED

# Deep enough for every JSON column Casedesk writes (pages, values, audit before/after).
MAX_DEPTH = 64
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_HEX64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}

MANIFEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["format", "format_version", "files"],
    "properties": {
        "files": {
            "type": "object",
            "required": ["case.json"],
            "additionalProperties": {
                "type": "object",
                "required": ["sha256", "size"],
                "properties": {"sha256": _HEX64, "size": {"type": "integer", "minimum": 0}},
            },
        },
        "counts": {"type": "object"},
        "title": {"type": ["string", "null"]},
    },
}

SIGNATURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["algorithm", "public_key", "signature"],
    "properties": {
        "algorithm": {"const": "Ed25519"},
        "public_key": {"type": "string", "maxLength": 200},
        "signature": {"type": "string", "maxLength": 200},
        "signer": {"type": ["string", "null"], "maxLength": 200},
    },
}


def json_depth(data: bytes, limit: int = MAX_DEPTH) -> int:
    """Return how deeply arrays and objects nest in JSON text, counting no further than ``limit``.

    Strings are removed first, so brackets inside them do not count. Nothing recurses, so a
    file nested 200,000 deep is measured as safely as a flat one.
    """
    depth = deepest = 0
    for byte in _STRING.sub(b"", data).translate(None, _NOT_BRACKETS):
        depth += 1 if byte in b"[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
    return deepest


def load_json(label: str, member: str, data: bytes) -> Any:
    """Parse a member's JSON after checking how deeply it nests.

    Raises:
        CaseFileError: Nested deeper than ``MAX_DEPTH``, not UTF-8, or not valid JSON.
    """
    if json_depth(data) > MAX_DEPTH:
        raise CaseFileError(
            f"{label}: {member} is nested too deeply (more than {MAX_DEPTH} levels); refused"
        )
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise CaseFileError(f"{label}: {member} is garbled (not valid JSON)") from None


def check_shape(label: str, member: str, value: Any, schema: dict[str, Any]) -> None:
    """Refuse a JSON value whose shape the schema does not allow, naming the first place.

    Raises:
        CaseFileError: e.g. "x.cdcase: case.json has the wrong shape at meta: [] is not of
            type 'object'".
    """
    error = jsonschema.exceptions.best_match(_validator(json.dumps(schema)).iter_errors(value))
    if error is None:
        return
    where = "/".join(str(part) for part in error.absolute_path) or "the top level"
    message = " ".join(error.message.split())
    if len(message) > 160:
        message = message[:157] + "..."
    raise CaseFileError(f"{label}: {member} has the wrong shape at {where}: {message}")


@cache
def _validator(schema_text: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(schema_text))


@cache
def snapshot_schema() -> dict[str, Any]:
    """The schema of case.json: meta as text, each table a list of rows typed like its model."""
    tables = {key: {"type": "array", "items": _row_schema(model)} for key, model in EXPORTED}
    # Pipeline versions: their models are members of their own, not fields.
    pipeline = _row_schema(CasePipeline, leave_out=BLOB)
    pipeline["required"] = sorted(pipeline["properties"])
    tables[PIPELINES] = {"type": "array", "items": pipeline}
    return {
        "type": "object",
        "required": ["format", "format_version", "meta"],
        "properties": {
            "meta": {"type": "object", "additionalProperties": {"type": "string"}},
            **tables,
        },
    }


def _row_schema(model: type[Base], leave_out: str | None = None) -> dict[str, Any]:
    """One row of a table: its columns with JSON types (but ``leave_out``), no other fields."""
    columns: dict[str, dict[str, Any]] = {}
    for attr in model.__mapper__.column_attrs:
        column = attr.columns[0]
        if attr.key == leave_out:
            continue
        kind = _json_type(column.type)
        if kind is None:
            columns[attr.key] = {}
        else:
            columns[attr.key] = {"type": [kind, "null"] if column.nullable else kind}
    return {"type": "object", "properties": columns, "additionalProperties": False}


def _json_type(kind: object) -> str | None:
    """The JSON type of a column type; None for JSON columns, which may hold anything."""
    if isinstance(kind, JSON):
        return None
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, Integer):
        return "integer"
    if isinstance(kind, Float):
        return "number"
    return "string"  # text, and dates and times in ISO 8601
