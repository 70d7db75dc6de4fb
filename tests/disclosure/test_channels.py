"""Publication channels: the static export folder and a signed webhook to a real local receiver."""

import hashlib
import hmac
import json

from tests.support.disclosure import publish, run_worker
from tests.support.webhook import SECRET

BODY = "关于公布低保名单的通知。户主李四，身份证号110101199003074573，电话13912341234。"


def test_webhook_receives_the_signed_redacted_version(api_as, receiver):
    receiver.fail_first = 1  # the first delivery fails; the queue retries it
    doc_id, publisher = publish(api_as, title="低保名单公示", body=BODY, channels=["webhook"])
    for _ in range(3):
        if receiver.received:
            break
        run_worker()
    assert len(receiver.received) == 1
    signature, body = receiver.received[0]
    assert signature == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    payload = json.loads(body)
    assert payload["id"] == doc_id and "110101199003074573" not in payload["text"]
    doc = publisher.get(f"/api/documents/{doc_id}").get_json()
    assert doc["status"] == "published"
    assert [p["channel"] for p in doc["publications"]] == ["webhook"]


def test_static_export_writes_html_and_json(api_as, settings):
    doc_id, publisher = publish(api_as, title="低保名单公示", body=BODY, channels=["static_export"])
    folder = settings.data_dir / "export"
    exported = json.loads((folder / f"{doc_id}.json").read_text("utf-8"))
    assert exported["title"] == "低保名单公示" and "13912341234" not in exported["text"]
    assert "低保名单公示" in (folder / f"{doc_id}.html").read_text("utf-8")


def test_a_policy_document_is_published_with_its_interpretation(api_as):
    doc_id, publisher = publish(api_as, title="关于支持小微企业发展的若干政策", category="policy",
                                body="一、减免租金……", interpretation="政策解读：一、出台背景……")
    public = publisher.client.get(f"/api/public/documents/{doc_id}").get_json()
    # 谁起草谁解读: the interpretation goes out with the document, never later.
    assert public["interpretation"] == "政策解读：一、出台背景……"
