"""Password hashes use the cost tuned for a 2-core server; hashes made with the old cost still work."""

from argon2 import PasswordHasher
from sqlalchemy import select, update

from engine.db import reading, transaction
from engine.models import User

TUNED = "$argon2id$v=19$m=19456,t=2,p=1$"


def _hash_of(username):
    with reading() as s:
        return s.scalar(select(User.password_hash).where(User.username == username))


def test_an_old_hash_logs_in_and_is_upgraded_to_the_tuned_cost(backend, client):
    with transaction() as s:
        s.execute(update(User).where(User.username == "drafter1")
                  .values(password_hash=PasswordHasher().hash("old-cost-password")))
    assert not _hash_of("drafter1").startswith(TUNED)
    login = {"username": "drafter1", "password": "old-cost-password"}
    assert client.post("/api/login", json=login).status_code == 200
    assert _hash_of("drafter1").startswith(TUNED)
    assert client.post("/api/login", json=login).status_code == 200
    assert client.post("/api/login", json={**login, "password": "wrong-password"}).status_code == 401
