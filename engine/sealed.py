"""Files kept encrypted at rest, above `engine.storage` (whatever backend it writes to).

A sealed file is still named by the sha256 of its plain bytes (what documents and review records
cite); `sealed_file` maps that name to the envelope's own address in storage and the key that sealed
it. `get` opens a sealed file and reads any other file as it is, so readers need not know which.
`reseal` moves every file to the current key (key rotation: see README).
"""

import hashlib

from sqlalchemy import select

from engine import clock, crypto, signing, storage
from engine.db import reading, transaction
from engine.models import SealedFile, SigningKey


def put(session, content: bytes) -> str:
    """Seal `content` into storage (in the caller's transaction) and return its plain sha256."""
    digest = hashlib.sha256(content).hexdigest()
    if session.get(SealedFile, digest) is None:
        envelope, key_id = crypto.seal(content, digest.encode(), session)
        session.add(SealedFile(sha256=digest, stored_sha256=storage.put(envelope), key_id=key_id,
                               sealed_at=clock.now()))
        session.flush()
    return digest


def put_text(session, text: str) -> str:
    return put(session, text.encode("utf-8"))


def get(digest: str, session=None) -> bytes:
    """The plain bytes of file `digest`, sealed or not."""
    if session is None:
        with reading() as s:
            return get(digest, s)
    row = session.get(SealedFile, digest) if digest else None
    if row is None:
        return storage.get(digest)
    return crypto.open_sealed(storage.get(row.stored_sha256), digest.encode())


def get_text(digest: str | None, session=None) -> str:
    return get(digest, session).decode("utf-8") if digest else ""


def reseal() -> int:
    """Seal again, with the current key and suite, every file and reviewer's private key that another
    key sealed; return how many. Afterwards the old key may leave GONGKAI_SEAL_KEYS."""
    current_key = crypto.seal_keys()[0][0]
    with reading() as s:
        names = s.scalars(select(SealedFile.sha256).where(SealedFile.key_id != current_key)).all()
        key_ids = [k.id for k in s.scalars(select(SigningKey)) if crypto.envelope_key(k.private_sealed) != current_key]
    for name in names:
        with transaction() as s:
            row = s.get(SealedFile, name, with_for_update=True)
            plain = crypto.open_sealed(storage.get(row.stored_sha256), name.encode())
            envelope, row.key_id = crypto.seal(plain, name.encode(), s)
            row.stored_sha256, row.sealed_at = storage.put(envelope), clock.now()
    for key_id in key_ids:
        with transaction() as s:
            signing.reseal(s.get(SigningKey, key_id, with_for_update=True), s)
    return len(names) + len(key_ids)
