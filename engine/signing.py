"""Each reviewer's signing key, made when first needed: the public key in clear, the private key
sealed with the installation's seal key (engine.crypto), so a copy of the database alone signs nothing."""

from sqlalchemy import select

from engine import clock, crypto
from engine.models import SigningKey


def key_for(session, user, algorithm: str) -> SigningKey:
    """The user's key for `algorithm`, made now if they have none."""
    key = session.scalar(select(SigningKey).where(SigningKey.user_id == user.id, SigningKey.algorithm == algorithm))
    if key is None:
        private, public = crypto.new_key_pair(algorithm)
        context = _context(user.id, algorithm)
        sealed, _key_id = crypto.seal(private, context, session)
        key = SigningKey(user_id=user.id, algorithm=algorithm, public_pem=public, private_sealed=sealed,
                         created_at=clock.now())
        session.add(key)
        session.flush()
    return key


def sign(session, user, data: bytes) -> tuple[SigningKey, str]:
    """(the key, its signature of `data`) with the user's key of the installation's suite."""
    key = key_for(session, user, crypto.SIGNATURES[crypto.suite(session)])
    private = crypto.open_sealed(key.private_sealed, _context(key.user_id, key.algorithm))
    return key, crypto.sign(key.algorithm, private, data)


def reseal(key: SigningKey, session) -> None:
    """Seal a private key again under the current seal key (key rotation)."""
    context = _context(key.user_id, key.algorithm)
    key.private_sealed, _key_id = crypto.seal(crypto.open_sealed(key.private_sealed, context), context, session)


def _context(user_id: int, algorithm: str) -> bytes:
    return f"signing-key:{user_id}:{algorithm}".encode()
