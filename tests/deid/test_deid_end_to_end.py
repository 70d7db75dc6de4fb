"""A cue-less name in a reply letter goes through the disclosure procedure with a real worker:
the deidentify service task finds it, the publisher's confirmation page shows it, and the
public page does not."""

import json
import re

from tests.support.disclosure import APPROVE, do_task, run_worker
from tests.support.web import login

REPLY = ("关于群众来信反映违法建房问题的答复\n"
         "    你反映的东羊楼村北侧耕地违法建房问题收悉。经查，宫德胜于2026年3月在该处擅自建设砖混结构房屋一处，"
         "村委会多次劝阻无效。10月12日，区综合行政执法局依法下达限期拆除通知，宫德胜已于10月20日自行拆除，"
         "土地已恢复原状。\n    咨询电话：0538-8221234。")


def test_cue_less_name_in_a_reply_letter_is_redacted_on_the_public_page(app, api_as):
    drafter, publisher = api_as("drafter1"), api_as("publisher1")
    doc_id = drafter.post("/api/documents", json={
        "title": "关于群众来信反映违法建房问题的答复", "category": "general", "attribute": "proactive",
        "formed_on": "2026-11-02", "body": REPLY}).get_json()["id"]
    do_task(api_as("reviewer1"), doc_id, APPROVE)
    do_task(api_as("secrecy1"), doc_id, APPROVE)
    run_worker()  # the deidentify service task

    task = publisher.get(f"/api/tasks?scope=available&document_id={doc_id}").get_json()["items"][0]
    page = login(app.test_client(), "publisher1").get(f"/tasks/{task['id']}").get_data(as_text=True)
    preview = re.search(r'id="redacted-preview"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert "宫德胜" not in preview and "东羊楼村" in preview
    body = re.search(r'data-field="body".*?class="redaction-data">(.*?)</script>', page, re.S).group(1)
    data = json.loads(body)
    assert {f["text"] for f in data["findings"] if f["kind"] == "person_name"} == {"宫德胜"}

    do_task(publisher, doc_id, {"decision": "confirm"})
    run_worker()  # publish
    public = app.test_client().get(f"/public/documents/{doc_id}").get_data(as_text=True)
    assert "依法下达限期拆除通知" in public and "东羊楼村" in public and "0538-8221234" in public
    assert "宫德胜" not in public
