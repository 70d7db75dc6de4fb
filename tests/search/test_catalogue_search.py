"""The catalogue's search (engine/search) through the public API and page, on both databases:
ranking, totals, highlights, filters with text, and only published fields in the answer."""

from datetime import datetime, timedelta, timezone

from click.testing import CliRunner

from engine import clock
from engine.db import transaction
from engine.models import Document
from engine.search import index as search_index
from web import ratelimit
from web.cli import main as cli

WORD = "财政预算"


def _doc(title, text, *, days_ago=1, when=None, indexed=True, status="published", **fields):
    """A published row as publication leaves it (indexed) or as a migration from an old portal does."""
    with transaction() as s:
        doc = Document(title=title, published_title=title if status == "published" else None,
                       published_text=text if status == "published" else None, status=status,
                       category=fields.pop("category", "general"), attribute="proactive",
                       published_at=when or clock.now() - timedelta(days=days_ago), **fields)
        s.add(doc)
        s.flush()
        if indexed:
            search_index.follow_document(s, doc)
        return doc.id


def _search(client, query):
    resp = client.get(f"/api/public/documents?{query}")
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_title_matches_come_first_then_the_newest_with_total_and_marked_snippets(client):
    in_title = _doc(f"关于2026年{WORD}的公告", "全文见附件。", days_ago=30)
    newest = _doc("关于城区道路的通知", f"本年度<b>{WORD}</b>安排如下：教育支出增长。", days_ago=1)
    older = _doc("关于学校的通知", f"……{WORD}执行情况良好。", days_ago=10)
    _doc("关于绿化的通知", "财政，预算与绿化无关。", days_ago=2)  # the words apart: not the phrase
    _doc(f"{WORD}草案", "尚未公开。", status="withheld")

    found = _search(client, f"q={WORD}")
    assert [d["id"] for d in found["items"]] == [in_title, newest, older] and found["total"] == 3
    assert found["items"][0]["title_html"] == f"关于2026年<mark>{WORD}</mark>的公告"
    snippet = found["items"][1]["snippet"]
    assert f"&lt;b&gt;<mark>{WORD}</mark>&lt;/b&gt;" in snippet and "<b>" not in snippet  # escaped, then marked

    first, second = _search(client, f"q={WORD}&limit=2"), _search(client, f"q={WORD}&limit=2&offset=2")
    assert [d["id"] for d in first["items"] + second["items"]] == [in_title, newest, older]
    assert first["total"] == second["total"] == 3

    assert _search(client, "q=教育 财政预算")["total"] == 1  # every term, anywhere in the document
    assert _search(client, "q=绿")["total"] == 1  # a single character
    assert _search(client, "q=量子计算")["total"] == 0 and _search(client, "q=，。")["items"] == []
    assert _search(client, "q=ＷＯＲＤ")["total"] == 0  # full width folds like the index: nothing, not an error


def test_every_filter_combines_with_the_text(client):
    last_year = datetime(clock.today().year - 1, 6, 1, 4, tzinfo=timezone.utc)
    policy = _doc(f"{WORD}政策", "正文", category="policy")
    old = _doc(f"{WORD}旧文", "正文", when=last_year)
    repealed = _doc(f"{WORD}已废止", "正文", validity="repealed")
    notice = _doc(f"{WORD}公示", "正文", publicity=True)
    _doc("其他政策", "正文", category="policy")

    def ids(query):
        return {d["id"] for d in _search(client, f"q={WORD}&{query}")["items"]}

    assert ids("category=policy") == {policy}
    assert ids(f"year={last_year.year}") == {old}
    assert ids("validity=repealed") == {repealed}
    assert ids("publicity=true") == {notice}
    assert ids("agency=root") == {policy, old, repealed, notice}
    assert ids("category=policy&validity=repealed") == set()
    bad = client.get("/api/public/documents?validity=gone")
    assert bad.status_code == 422 and "validity" in bad.get_json()["error"]["fields"]


def test_the_page_shows_the_total_and_marked_snippets(client):
    for days in range(3):
        _doc(f"通知{days}", f"关于{WORD}的说明", days_ago=days)
    page = client.get(f"/public?q={WORD}&validity=valid").get_data(as_text=True)
    assert 'data-total="3"' in page and f"<mark>{WORD}</mark>" in page
    assert "找到 3 条" in page


def test_reindex_rebuilds_the_index_from_the_database(client, settings):
    migrated = [_doc(f"历史文件{n}", f"{WORD}第{n}号", indexed=False) for n in range(3)]
    _doc(f"{WORD}内部文件", "不公开", status="withheld", indexed=False)
    assert _search(client, f"q={WORD}")["total"] == 0  # loaded straight into the table: not yet indexed
    result = CliRunner().invoke(cli, ["reindex"], env={"DATABASE_URL": settings.database_url,
                                                        "GONGKAI_DATA_DIR": str(settings.data_dir)})
    assert result.exit_code == 0, result.output
    assert "indexed 3 published documents" in result.output and "documents/s" in result.output
    found = _search(client, f"q={WORD}")
    assert found["total"] == 3 and {d["id"] for d in found["items"]} == set(migrated)


def test_public_search_is_rate_limited_per_address(client, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "public_search", (3, 60))
    codes = [client.get(f"/api/public/documents?q={WORD}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/public/documents").status_code == 200  # browsing without text is not counted
    other = client.get(f"/api/public/documents?q={WORD}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200
    assert client.get(f"/public?q={WORD}").status_code == 429


def test_above_the_cap_the_total_says_more_than_and_the_pages_go_on(client, monkeypatch):
    from engine.search import query as search_query

    monkeypatch.setattr(search_query, "TOTAL_CAP", 2)  # counted no further than this (a million rows cost)
    in_title = _doc(f"{WORD}的公告", "全文见附件。", days_ago=9)
    in_text = [_doc(f"通知{i}", f"第{i}项{WORD}安排。", days_ago=i) for i in range(1, 4)]
    first = _search(client, f"q={WORD}&limit=2")
    assert first["total"] == 2 and first["total_exact"] is False
    rest = _search(client, f"q={WORD}&limit=2&offset=2")
    assert [d["id"] for d in first["items"] + rest["items"]] == [in_title, *in_text]
    assert _search(client, "q=附件")["total_exact"] is True  # at or under the cap: exact
    page = client.get(f"/public?q={WORD}").get_data(as_text=True)
    assert f"找到超过 2 条与“{WORD}”相关的公开信息" in page and "data-total-more" in page
