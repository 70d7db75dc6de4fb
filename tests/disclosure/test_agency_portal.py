"""Each 行政机关 publishes its own 政府信息公开指南 (Art. 12), kept by the admin or its own publisher,
and the public catalogue is filtered by 发布机构 (page and API)."""

import re
from datetime import datetime, timezone

import pytest

from engine import bootstrap, users
from engine.db import transaction
from engine.models import Document
from engine.search import index as search_index
from tests.disclosure.test_agency_guide import GUIDE
from tests.disclosure.test_catalogue import patch
from tests.support.disclosure import publish
from tests.support.web import csrf_from, login


@pytest.fixture
def finance(api_as):
    """示例县财政局 is its own agency with a publisher; 预算股 its internal office. Returns their ids."""
    with transaction() as s:
        users.ensure_department(s, "预算股")
        users.create_user("publisher_cz", bootstrap.DEMO_PASSWORD, ["publisher"], "财政局", display_name="财公开",
                          session=s, password_hash=bootstrap._demo_hash())
    admin = api_as("admin")
    depts = {d["name"]: d["id"] for d in admin.get("/api/departments").get_json()["items"]}
    assert patch(admin, f"/api/departments/{depts['财政局']}", {"agency_name": "示例县财政局", "agency_code": "CZJ"}).status_code == 200
    assert patch(admin, f"/api/departments/{depts['预算股']}", {"parent": "财政局"}).status_code == 200
    return {"cz": depts["财政局"], "ys": depts["预算股"]}


def test_each_agency_has_its_own_guide_kept_by_its_publisher(api_as, client, finance):
    cz = finance["cz"]
    own = client.get(f"/api/public/guide?agency={cz}").get_json()
    assert (own["agency"], own["agency_id"], own["agency_key"], own["complete"]) == ("示例县财政局", cz, str(cz), False)
    for unknown in (finance["ys"], 99999, "abc"):
        assert client.get(f"/api/public/guide?agency={unknown}").status_code == 404

    mine = {**GUIDE, "phone": "0538-6660001", "office_address": "示例县财政局一楼"}
    assert api_as("publisher1").put(f"/api/guide?agency={cz}", json=mine).status_code == 403  # another agency's
    assert api_as("drafter2").put(f"/api/guide?agency={cz}", json=mine).status_code == 403  # not its publisher
    publisher = api_as("publisher_cz")
    assert publisher.put("/api/guide", json=mine).status_code == 403  # the installation's is not theirs
    refused = publisher.put(f"/api/guide?agency={cz}", json={**mine, "fax": ""})
    assert refused.status_code == 422 and list(refused.get_json()["error"]["fields"]) == ["fax"]
    saved = publisher.put(f"/api/guide?agency={cz}", json=mine)
    assert saved.status_code == 200 and saved.get_json()["complete"] and saved.get_json()["updated_by"] == "publisher_cz"
    assert api_as("publisher1").put("/api/guide", json=GUIDE).status_code == 200  # the installation's own publisher
    assert api_as("admin").put(f"/api/guide?agency={cz}", json={**mine, "fax": "0538-6660002"}).status_code == 200

    root_page = client.get("/public/guide").get_data(as_text=True)
    assert "0538-1234567" in root_page and "0538-6660001" not in root_page
    assert f'href="/public/guide/{cz}"' in root_page  # the other agencies' guides
    for url in (f"/public/guide/{cz}", f"/public/guide?agency={cz}"):
        page = client.get(url).get_data(as_text=True)
        assert "示例县财政局政府信息公开指南" in page and "0538-6660001" in page and "0538-6660002" in page
        assert "0538-1234567" not in page and 'href="/public/guide"' in page
    assert client.get(f"/public/guide/{finance['ys']}").status_code == 404
    catalogue = client.get("/public").get_data(as_text=True)
    assert f'href="/public/guide/{cz}"' in catalogue and 'href="/public/guide"' in catalogue


def test_the_publisher_and_the_admin_edit_an_agency_guide_through_the_pages(app, finance):
    cz, client = finance["cz"], login(app.test_client(), "publisher_cz")
    page = client.get("/guide").get_data(as_text=True)  # their own agency's by default
    assert "示例县财政局政府信息公开指南" in page and f'action="/guide?agency={cz}"' in page
    resp = client.post(f"/guide?agency={cz}", data={"csrf_token": csrf_from(page), **GUIDE, "phone": "0538-6660001"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/guide?agency={cz}")
    assert "0538-6660001" in app.test_client().get(f"/public/guide/{cz}").get_data(as_text=True)
    assert client.get("/guide?agency=root").status_code == 403

    admin = login(app.test_client(), "admin")
    page = admin.get(f"/admin/agency?agency={cz}").get_data(as_text=True)
    assert "示例县财政局政府信息公开指南" in page and "0538-6660001" in page and f'href="/public/guide/{cz}"' in page
    resp = admin.post(f"/admin/guide?agency={cz}", data={"csrf_token": csrf_from(page), **GUIDE, "phone": "0538-6669999"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/admin/agency?agency={cz}")
    assert "0538-6669999" in app.test_client().get(f"/public/guide/{cz}").get_data(as_text=True)
    assert "0538-6669999" not in app.test_client().get("/public/guide").get_data(as_text=True)


def _published(title, department_id, publisher=None):
    """A published row as `catalogue.assign` leaves it; without a publisher, one published before that."""
    with transaction() as s:
        doc = Document(title=title, published_title=title, category="general", attribute="proactive",
                       status="published", department_id=department_id, published_text=title, publisher=publisher,
                       published_at=datetime(2026, 6, 3, 2, tzinfo=timezone.utc))
        s.add(doc)
        s.flush()
        search_index.follow_document(s, doc)  # in the catalogue's index, as `gongkai reindex` puts a migrated row


def test_the_catalogue_is_filtered_by_its_publisher_agency(api_as, client, finance):
    cz, ys = finance["cz"], finance["ys"]
    publish(api_as, title="2026年政府工作报告", body="正文")  # 办公室: the installation's, through the procedure
    _published("示例县财政局关于专项资金管理的通知", cz, "示例县财政局")
    _published("2026年部门预算公开", ys)  # its internal office's, from before 发布机构 was recorded
    _published("2019年政府信息公开工作要点", None)  # no department: the installation's

    def titles(query):
        resp = client.get(f"/api/public/documents{query}")
        assert resp.status_code == 200, resp.get_json()
        return {d["title"] for d in resp.get_json()["items"]}

    assert titles(f"?agency={cz}") == {"示例县财政局关于专项资金管理的通知", "2026年部门预算公开"}
    assert titles("?agency=root") == {"2026年政府工作报告", "2019年政府信息公开工作要点"}
    assert len(titles("")) == 4 and titles(f"?agency={cz}&q=专项") == {"示例县财政局关于专项资金管理的通知"}
    for bad in (ys, 99999, "abc"):
        resp = client.get(f"/api/public/documents?agency={bad}")
        assert resp.status_code == 422 and list(resp.get_json()["error"]["fields"]) == ["agency"], bad
    spec = client.get("/api/openapi.json").get_json()
    names = [p["name"] for p in spec["paths"]["/api/public/documents"]["get"]["parameters"]]
    assert "agency" in names

    page = client.get(f"/public?agency={cz}").get_data(as_text=True)
    assert "示例县财政局关于专项资金管理的通知" in page and "2026年政府工作报告" not in page
    assert re.search(rf'<option value="{cz}"\s+selected>示例县财政局</option>', page)
    assert '<td data-field="publisher">示例县财政局</td>' in page
    everything = client.get(f"/public?agency={ys}").get_data(as_text=True)  # the page ignores what it does not list
    assert "2026年政府工作报告" in everything and "示例县财政局关于专项资金管理的通知" in everything


def test_with_one_agency_the_catalogue_offers_no_publisher_choice(client):
    page = client.get("/public").get_data(as_text=True)
    assert 'name="agency"' not in page and 'href="/public/guide"' in page
