"""国密 (GB/T 39786): the review chain in SM3, each reviewer's decision signed with SM2 by a key held
for them, originals sealed with SM4; an old SHA-256 chain stays verifiable and is continued;
`gongkai verify` names the record that fails (changed opinion, deleted record, forged signature)."""
import base64
import hashlib
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update
from tongsuopy.crypto import hashes, serialization
from tongsuopy.crypto.asymciphers import ec

from engine import clock, config, crypto, sealed
from engine.db import reading, transaction
from engine.disclosure import reviews
from engine.models import Document, ReviewRecord, SealedFile, SigningKey
from tests.support.disclosure import do_task
from web.cli import main as cli

SECRET = "申请人张三，身份证号110101199003074573，住址示例县人民路8号。"
GOOD = {"title": "关于X的通知", "category": "general", "attribute": "withheld", "attribute_ground": "third_party_rights",
        "attribute_reason": "涉及个人隐私", "formed_on": (clock.today() - timedelta(days=35)).isoformat(),
        "body": SECRET}  # the suite's moved today (tests/support/clock.py) when the module is collected


def _reviewed(api_as, body=GOOD) -> int:
    doc_id = api_as("drafter1").post("/api/documents", json=body).get_json()["id"]
    do_task(api_as("reviewer1"), doc_id, {"decision": "approve", "opinion": "同意"})
    do_task(api_as("secrecy1"), doc_id, {"decision": "approve", "opinion": "不涉密，同意"})
    return doc_id


def _records(doc_id) -> list[ReviewRecord]:
    with reading() as s:
        return s.scalars(select(ReviewRecord).where(ReviewRecord.document_id == doc_id).order_by(ReviewRecord.seq)).all()


def _verify(doc_id):
    """`gongkai verify` as the operator runs it, with the installation's settings in the environment."""
    settings = config.current()
    env = {"GONGKAI_DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.database_url,
           "GONGKAI_SECRET_KEY": settings.secret_key, "REDIS_URL": settings.redis_url or "",
           "GONGKAI_SEAL_KEYS": settings.seal_keys}
    try:
        return CliRunner().invoke(cli, ["verify", str(doc_id)], env=env)
    finally:
        config.configure(settings)


def test_a_new_installation_chains_in_sm3_and_each_reviewer_signs_with_sm2(api_as):
    assert crypto.suite() == "gm"
    doc_id = _reviewed(api_as)
    records = _records(doc_id)
    assert [r.hash_algorithm for r in records] == ["sm3", "sm3"]
    with reading() as s:
        keys = {k.user_id: k for k in s.scalars(select(SigningKey))}
    for r in records:
        fields = {**reviews._fields(r), "prev_hash": r.prev_hash}
        payload = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()
        assert hashlib.new("sm3", payload).hexdigest() == r.record_hash  # SM3, recomputed independently
        key = keys[r.reviewer_id]
        assert key.algorithm == "sm2-sm3" and b"PRIVATE KEY" not in key.private_sealed
        public = serialization.load_pem_public_key(key.public_pem.encode())
        assert isinstance(public.curve, ec.SM2)
        public.verify(base64.b64decode(r.signature), r.record_hash.encode(), ec.ECDSA(hashes.SM3()))  # SM2 by tongsuopy
    assert len(keys) == 2  # one key per reviewer, made when first needed
    result = _verify(doc_id)
    assert result.exit_code == 0 and "sm3 签名有效 通过" in result.output, result.output


def test_sm3_matches_the_standard_vector():
    # GB/T 32905-2016, example 1: SM3("abc").
    assert crypto.digest(b"abc", "sm3") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


@pytest.mark.parametrize("tamper, seq, words", [
    ("opinion", 1, "已被改动"), ("delete", 1, "第 1 条记录缺失"), ("signature", 2, "签名无效"),
    ("key", 2, "签名无效"), ("unsigned", 2, "缺少审查人签名"),
])
def test_gongkai_verify_names_the_tampered_record(api_as, tamper, seq, words):
    doc_id = _reviewed(api_as)
    other = _reviewed(api_as, {**GOOD, "title": "另一件"})
    with transaction() as s:
        mine = select(ReviewRecord).where(ReviewRecord.document_id == doc_id)
        if tamper == "opinion":
            s.execute(update(ReviewRecord).where(ReviewRecord.document_id == doc_id, ReviewRecord.seq == 1)
                      .values(opinion="不同意"))
        elif tamper == "delete":
            s.query(ReviewRecord).filter_by(document_id=doc_id, seq=1).delete()
        elif tamper == "signature":  # a valid signature, of another record by the same reviewer's key
            forged = s.scalar(select(ReviewRecord.signature).where(ReviewRecord.document_id == other,
                                                                   ReviewRecord.seq == 2))
            s.execute(update(ReviewRecord).where(ReviewRecord.document_id == doc_id, ReviewRecord.seq == 2)
                      .values(signature=forged))
        elif tamper == "key":  # the record re-signed by a key the attacker made, swapped in for the reviewer's
            record = s.scalar(mine.where(ReviewRecord.seq == 2))
            private, public = crypto.new_key_pair("sm2-sm3")
            s.execute(update(SigningKey).where(SigningKey.id == record.signing_key_id).values(public_pem=public))
            record_sig = crypto.sign("sm2-sm3", private, b"something else")
            s.execute(update(ReviewRecord).where(ReviewRecord.id == record.id).values(signature=record_sig))
        else:
            s.execute(update(ReviewRecord).where(ReviewRecord.document_id == doc_id, ReviewRecord.seq == 2)
                      .values(signature=None))
    result = _verify(doc_id)
    assert result.exit_code == 1
    assert f"第 {seq} 条审查记录未通过校验" in result.output and words in result.output, result.output
    assert _verify(other).exit_code == (1 if tamper == "key" else 0)  # the swapped key was the reviewer's one key


def test_an_old_sha256_chain_stays_verifiable_and_is_continued_in_sm3(api_as, app):
    admin = api_as("admin")
    assert admin.put("/api/requests/settings", json={"crypto_suite": "international"}).status_code == 200
    doc_id = api_as("drafter1").post("/api/documents", json=GOOD).get_json()["id"]
    do_task(api_as("reviewer1"), doc_id, {"decision": "approve", "opinion": "同意"})
    with transaction() as s:  # as a record written before signing existed: no key, no signature, SHA-256
        record = s.scalar(select(ReviewRecord).where(ReviewRecord.document_id == doc_id))
        record.signing_key_id, record.signature = None, None
        record.record_hash = reviews._digest(reviews._fields(record), record.prev_hash, "sha256")
    assert admin.put("/api/requests/settings", json={"crypto_suite": "gm"}).get_json()["crypto_suite"] == "gm"
    do_task(api_as("secrecy1"), doc_id, {"decision": "approve", "opinion": "同意"})
    records = _records(doc_id)
    assert [r.hash_algorithm for r in records] == ["sha256", "sm3"]
    assert records[1].prev_hash == records[0].record_hash
    result = _verify(doc_id)
    assert result.exit_code == 0, result.output
    assert "sha256 无签名（早于签名启用） 通过" in result.output and "sm3 签名有效 通过" in result.output
    assert admin.put("/api/requests/settings", json={"crypto_suite": "sm9"}).status_code == 422


def test_originals_are_sealed_with_sm4_and_survive_key_rotation(api_as, settings, monkeypatch):
    doc_id = _reviewed(api_as)
    files = [p for p in (settings.data_dir / "files").rglob("*") if p.is_file()]
    assert files and not any(SECRET.encode() in p.read_bytes() for p in files)  # nowhere in clear
    with reading() as s:
        doc = s.get(Document, doc_id)
        row = s.get(SealedFile, doc.original_sha256)
    assert row is not None and doc.original_sha256 == hashlib.sha256(SECRET.encode()).hexdigest()
    stored = (settings.data_dir / "files" / row.stored_sha256[:2] / row.stored_sha256).read_bytes()
    assert stored[:5] == b"GKS1S"  # SM4-GCM
    assert api_as("drafter1").get(f"/api/documents/{doc_id}").get_json()["body"] == SECRET

    old = crypto.seal_keys()[0]
    new = "k2:" + base64.b64encode(b"n" * 16).decode()
    monkeypatch.setattr(config.current(), "seal_keys", f"{new},{old[0]}:{base64.b64encode(old[1]).decode()}")
    assert sealed.reseal() == 3  # the body and the two reviewers' private keys
    with reading() as s:
        assert {r.key_id for r in s.scalars(select(SealedFile))} == {"k2"}
    monkeypatch.setattr(config.current(), "seal_keys", new)  # the old key retired
    assert sealed.get_text(doc.original_sha256) == SECRET
    assert _verify(doc_id).exit_code == 0
    with transaction() as s:  # a reviewer signs with the key sealed anew
        assert crypto.open_sealed(s.scalars(select(SigningKey)).first().private_sealed,
                                  f"signing-key:{s.scalars(select(SigningKey)).first().user_id}:sm2-sm3".encode())
    changed = bytearray(stored)
    changed[-1] ^= 1
    with pytest.raises(crypto.SealError):
        crypto.open_sealed(bytes(changed), doc.original_sha256.encode())
    with pytest.raises(crypto.SealError):  # sealed for another file
        crypto.open_sealed(stored, b"0" * 64)


def test_an_existing_installation_keeps_the_international_suite_until_an_admin_switches(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine, text

    from engine import schema

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(schema.alembic_config(url), "0015_workplan_delivery")  # installed before the setting
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO user_account (username, display_name, password_hash, active, "
                          "token_generation, out_of_office, locale, created_at) "
                          "VALUES ('old', 'old', 'x', 1, 0, 0, 'zh', '2025-01-01 00:00:00')"))
    schema.upgrade(url)
    with engine.connect() as conn:
        saved = conn.execute(text("SELECT value FROM agency_setting WHERE key = 'crypto_suite'")).scalar()
    assert json.loads(saved) == {"value": "international"}
    fresh = f"sqlite:///{tmp_path / 'new.db'}"
    schema.upgrade(fresh)  # a new installation: no row, the default gm
    with create_engine(fresh).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM agency_setting")).scalar() == 0
