"""清理历年文件: bulk import creates one determination task per document, then the review starts."""

import io

import docx

CSV = ("title,doc_number,category,formed_on,body\n"
       "关于2015年防汛工作的通知,泰政办发〔2015〕3号,general,2015-05-01,请各单位做好防汛工作。\n"
       "关于印发机关考勤制度的通知,泰政办发〔2015〕9号,general,2015-07-01,机关内部考勤规定。\n")


def test_csv_import_creates_determination_tasks_then_review(api_as):
    drafter, reviewer = api_as("drafter1"), api_as("reviewer1")
    resp = drafter.post("/api/documents/import", data={"csv": (io.BytesIO(CSV.encode()), "old.csv")},
                        content_type="multipart/form-data")
    assert resp.status_code == 201, resp.get_json()
    first, second = resp.get_json()["document_ids"]
    tasks = drafter.get("/api/tasks?scope=available").get_json()["items"]
    assert sorted(t["document_id"] for t in tasks) == [first, second]
    assert {t["name"] for t in tasks} == {"认定公开属性"}
    assert api_as("drafter2").get("/api/tasks?scope=available").get_json()["total"] == 0

    task = next(t for t in tasks if t["document_id"] == second)
    drafter.post(f"/api/tasks/{task['id']}/claim")
    bad = drafter.post(f"/api/tasks/{task['id']}/complete", json={"data": {"attribute": "withheld"}})
    assert bad.status_code == 422
    ok = drafter.post(f"/api/tasks/{task['id']}/complete", json={"data": {
        "attribute": "withheld", "attribute_ground": "internal_affairs", "attribute_reason": "机关内部管理制度"}})
    assert ok.status_code == 200, ok.get_json()
    doc = reviewer.get(f"/api/documents/{second}").get_json()
    assert (doc["status"], doc["attribute"]) == ("dept_review", "withheld")
    assert doc["publish_by"] > "2026-11-01"  # counted from the determination, not from 2015


def test_bad_rows_import_nothing(api_as):
    drafter = api_as("drafter1")
    bad = CSV + "缺日期的文件,,unknown_category,2015-13-01,正文\n"
    resp = drafter.post("/api/documents/import", data={"csv": (io.BytesIO(bad.encode()), "old.csv")},
                        content_type="multipart/form-data")
    assert resp.status_code == 422
    assert set(resp.get_json()["error"]["fields"]["row 3"]) == {"category", "formed_on"}
    assert drafter.get("/api/documents").get_json()["items"] == []


def test_docx_folder_import_extracts_text(api_as):
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("关于做好2016年春运工作的通知")
    document.save(buffer)
    resp = api_as("drafter1").post("/api/documents/import", data={"docx": [(io.BytesIO(buffer.getvalue()), "春运通知.docx")]},
                                   content_type="multipart/form-data")
    assert resp.status_code == 201, resp.get_json()
    doc_id = resp.get_json()["document_ids"][0]
    # Not drafter1's own, but the department's drafters are given the task of determining its
    # attribute, so they read it; another department does not.
    assert api_as("drafter1").get(f"/api/documents/{doc_id}").status_code == 200
    assert api_as("drafter2").get(f"/api/documents/{doc_id}").status_code == 404
    admin_view = api_as("admin").get(f"/api/documents/{doc_id}").get_json()
    assert admin_view["title"] == "春运通知" and "春运" in admin_view["body"]
