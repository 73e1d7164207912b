"""Ed25519 signatures over a case file's manifest, with one key per analyst on each workstation."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from desktop.dto import SignatureStatus
from desktop.services.case_file_schema import SIGNATURE_SCHEMA, check_shape, load_json
from desktop.version import APP_NAME

SIGNATURE = "signature.json"
ALGORITHM = "Ed25519"
_KEY_SUFFIX = ".ed25519.pem"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class SignatureCheck:
    """What the signature of a case file says.

    Attributes:
        status: Signed (and the signature holds), unsigned, or invalid.
        fingerprint: "SHA256:..." of the public key in the archive, when there is one.
        signer: The name the archive gives its signer (a claim; the fingerprint is the fact).
        own_key: The key is one of this workstation's signing keys.
    """

    status: SignatureStatus
    fingerprint: str | None = None
    signer: str | None = None
    own_key: bool = False


def key_folder() -> Path:
    """Return where this workstation keeps its signing keys (in the user data folder)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "keys"


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """Return the key's fingerprint the way OpenSSH shows one: "SHA256:" and base64."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "SHA256:" + base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")


def signing_key(actor: str, folder: Path | None = None) -> Ed25519PrivateKey:
    """Return the analyst's signing key, creating it (mode 0600) on first use.

    Two exports creating the key at once end with the same key: the file appears atomically
    and the slower one loads the faster one's key.
    """
    folder = folder or key_folder()
    path = folder / f"{_UNSAFE.sub('_', actor) or 'analyst'}{_KEY_SUFFIX}"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        _create_key(path)
    return _load_key(path)


def _create_key(path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    try:
        os.link(tmp, path)  # fails if another process made the key first: keep that one
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def _load_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 key")
    return key


def sign(manifest: bytes, key: Ed25519PrivateKey, signer: str) -> bytes:
    """Return the signature member for the manifest's exact bytes."""
    public = key.public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    document = {
        "algorithm": ALGORITHM,
        "signed_member": "manifest.json",
        "signer": signer,
        "fingerprint": fingerprint(public),
        "public_key": base64.b64encode(raw).decode(),
        "signature": base64.b64encode(key.sign(manifest)).decode(),
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def check_signature(
    label: str, member: bytes | None, manifest: bytes, folder: Path | None = None
) -> SignatureCheck:
    """Check the signature member against the manifest's bytes.

    Raises:
        CaseFileError: The signature member is garbled or of the wrong shape.
    """
    if member is None:
        return SignatureCheck(SignatureStatus.UNSIGNED)
    document = load_json(label, SIGNATURE, member)
    check_shape(label, SIGNATURE, document, SIGNATURE_SCHEMA)
    signer = document.get("signer")
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(document["public_key"]))
        signature = base64.b64decode(document["signature"])
    except ValueError:
        return SignatureCheck(SignatureStatus.INVALID, signer=signer)
    found = fingerprint(public)
    try:
        public.verify(signature, manifest)
    except InvalidSignature:
        return SignatureCheck(SignatureStatus.INVALID, found, signer)
    return SignatureCheck(SignatureStatus.SIGNED, found, signer, found in _own_fingerprints(folder))


def _own_fingerprints(folder: Path | None) -> set[str]:
    """Fingerprints of this workstation's keys; none are created just to compare."""
    folder = folder or key_folder()
    found = set()
    for path in sorted(folder.glob(f"*{_KEY_SUFFIX}")) if folder.is_dir() else []:
        try:
            found.add(fingerprint(_load_key(path).public_key()))
        except (OSError, ValueError, TypeError):
            continue
    return found
