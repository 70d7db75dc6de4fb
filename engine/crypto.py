"""The cryptographic suite: digests, sealing at rest and signatures, in 国密 (GB/T 39786, 密评: SM3 for
integrity, SM4 for confidentiality, SM2 for signatures) or in the international suite.

`suite()` is the admin's setting `crypto_suite` (agency settings): `gm` for a new installation; one that
existed before the setting keeps `international` (migration 0019) until an admin switches. What was
made under one suite stays readable under the other: every digest, envelope and signature says its
algorithm. SM3 comes from OpenSSL through hashlib; SM4-GCM and AES-GCM from `cryptography`; SM2 from
`tongsuopy` (Tongsuo, the OpenSSL fork maintained for 国密 by the Tongsuo project: constant-time C,
OpenSSL's random nonces and GB/T 32918 signing with the default user id — `cryptography` has no SM2,
and the pure-Python `gmssl` draws its default nonce from `random` and is not constant-time).
Seal keys come from GONGKAI_SEAL_KEYS (`id:base64,…`, the first one seals; every one opens), else from
a key file the installation makes in its data folder.
"""

import base64
import hashlib
import os
import secrets

from cryptography.hazmat.primitives import hashes as intl_hashes
from cryptography.hazmat.primitives import serialization as intl_serialization
from cryptography.hazmat.primitives.asymmetric import ec as intl_ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select
from tongsuopy.crypto import hashes, serialization
from tongsuopy.crypto.asymciphers import ec

from engine.config import current
from engine.db import reading
from engine.errors import Invalid
from engine.models import AgencySetting

SUITES = {"gm": "国密（SM2/SM3/SM4）", "international": "国际通用（ECDSA P-256/SHA-256/AES-GCM）"}
DEFAULT_SUITE = "gm"
DIGESTS = {"gm": "sm3", "international": "sha256"}
SIGNATURES = {"gm": "sm2-sm3", "international": "ecdsa-p256-sha256"}
_MAGIC = b"GKS1"
_CIPHERS = {b"S": "sm4-gcm", b"A": "aes-gcm"}


class SealError(Exception):
    """A sealed file that cannot be opened: unknown key, or changed since it was sealed."""


def suite(session=None) -> str:
    """The installation's suite: `gm` unless an admin (or migration 0019) chose `international`."""
    if session is None:
        with reading() as s:
            return suite(s)
    row = session.scalar(select(AgencySetting).where(AgencySetting.key == "crypto_suite"))
    value = (row.value or {}).get("value") if row is not None else None
    return value if value in SUITES else DEFAULT_SUITE


# --- digests -----------------------------------------------------------------------------------------
def digest(data: bytes, algorithm: str) -> str:
    """Hex digest of `data` with `sm3` or `sha256`."""
    if algorithm not in ("sm3", "sha256"):
        raise ValueError(f"unknown digest {algorithm!r}")
    return hashlib.new(algorithm, data).hexdigest()


# --- sealing at rest ---------------------------------------------------------------------------------
def seal_keys() -> list[tuple[str, bytes]]:
    """[(key id, 16 or 32 bytes)], the sealing key first."""
    raw = current().seal_keys or _installation_key()
    keys = []
    for item in raw.split(","):
        key_id, _, encoded = item.strip().partition(":")
        try:
            key = base64.b64decode(encoded, validate=True)
        except ValueError:
            key = b""
        if not key_id or len(key_id) > 40 or len(key) not in (16, 32):
            raise ValueError(f"GONGKAI_SEAL_KEYS: {key_id or item!r} needs id:base64 of 16 or 32 bytes")
        keys.append((key_id, key))
    return keys


def _installation_key() -> str:
    path = current().data_dir / "seal_keys"
    if not path.exists():
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
            out.write("local1:" + base64.b64encode(secrets.token_bytes(32)).decode())
    return path.read_text().strip()


def seal(plain: bytes, context: bytes, session=None) -> tuple[bytes, str]:
    """(envelope, key id): `plain` encrypted with the suite's cipher under the sealing key, bound to `context`."""
    key_id, key = seal_keys()[0]
    kind = b"S" if suite(session) == "gm" else b"A"
    nonce = secrets.token_bytes(12)
    body = _encrypt(kind, key, nonce, plain, context)
    header = _MAGIC + kind + bytes([len(key_id)]) + key_id.encode()
    return header + nonce + body, key_id


def open_sealed(envelope: bytes, context: bytes) -> bytes:
    """The plain bytes of an envelope made by `seal` with the same `context`."""
    if not envelope.startswith(_MAGIC) or len(envelope) < 7:
        raise SealError("not a sealed file")
    kind, length = envelope[4:5], envelope[5]
    key_id = envelope[6:6 + length].decode()
    nonce, body = envelope[6 + length:18 + length], envelope[18 + length:]
    key = dict(seal_keys()).get(key_id)
    if key is None or kind not in _CIPHERS:
        raise SealError(f"no key {key_id!r} in GONGKAI_SEAL_KEYS")
    try:
        return _decrypt(kind, key, nonce, body, context)
    except Exception as exc:  # InvalidTag: changed, or sealed for another file
        raise SealError("the sealed file was changed or belongs elsewhere") from exc


def envelope_key(envelope: bytes) -> str:
    return envelope[6:6 + envelope[5]].decode()


def _encrypt(kind, key, nonce, plain, context) -> bytes:
    if kind == b"A":
        return AESGCM(key).encrypt(nonce, plain, context)
    encryptor = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(context)
    return encryptor.update(plain) + encryptor.finalize() + encryptor.tag


def _decrypt(kind, key, nonce, body, context) -> bytes:
    if kind == b"A":
        return AESGCM(key).decrypt(nonce, body, context)
    decryptor = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce, body[-16:])).decryptor()
    decryptor.authenticate_additional_data(context)
    return decryptor.update(body[:-16]) + decryptor.finalize()


# --- signatures --------------------------------------------------------------------------------------
def new_key_pair(algorithm: str) -> tuple[bytes, str]:
    """(private key PEM, public key PEM) for `sm2-sm3` or `ecdsa-p256-sha256`."""
    if algorithm == "sm2-sm3":
        pem, key = serialization, ec.generate_private_key(ec.SM2())
    elif algorithm == "ecdsa-p256-sha256":
        pem, key = intl_serialization, intl_ec.generate_private_key(intl_ec.SECP256R1())
    else:
        raise ValueError(f"unknown signature algorithm {algorithm!r}")
    private = key.private_bytes(pem.Encoding.PEM, pem.PrivateFormat.PKCS8, pem.NoEncryption())
    public = key.public_key().public_bytes(pem.Encoding.PEM, pem.PublicFormat.SubjectPublicKeyInfo)
    return private, public.decode()


def sign(algorithm: str, private_pem: bytes, data: bytes) -> str:
    """Base64 DER signature of `data` (SM2 signs SM3(Z ‖ data), GB/T 32918)."""
    if algorithm == "sm2-sm3":
        key = serialization.load_pem_private_key(private_pem, None)
        return base64.b64encode(key.sign(data, ec.ECDSA(hashes.SM3()))).decode()
    key = intl_serialization.load_pem_private_key(private_pem, None)
    return base64.b64encode(key.sign(data, intl_ec.ECDSA(intl_hashes.SHA256()))).decode()


def verify(algorithm: str, public_pem: str, data: bytes, signature: str) -> bool:
    """Whether `signature` is a valid signature of `data` by the key `public_pem`."""
    try:
        raw = base64.b64decode(signature or "", validate=True)
        if algorithm == "sm2-sm3":
            serialization.load_pem_public_key(public_pem.encode()).verify(raw, data, ec.ECDSA(hashes.SM3()))
        elif algorithm == "ecdsa-p256-sha256":
            key = intl_serialization.load_pem_public_key(public_pem.encode())
            key.verify(raw, data, intl_ec.ECDSA(intl_hashes.SHA256()))
        else:
            return False
    except Exception:  # noqa: BLE001  InvalidSignature, a malformed key or signature: not valid
        return False
    return True


def check_suite(value) -> str:
    if value not in SUITES:
        raise Invalid(f"密码套件应为 (one of): {', '.join(SUITES)}", fields={"crypto_suite": ["unknown"]})
    return value
