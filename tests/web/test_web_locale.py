"""Chinese by default; English when the user picks it (and it sticks for the session)."""

from tests.support.web import login


def test_english_is_the_second_locale(app):
    client = login(app.test_client(), "reviewer1")
    chinese = client.get("/inbox").get_data(as_text=True)
    assert "我的待办" in chinese and '<html lang="zh-CN">' in chinese
    english = client.get("/inbox?lang=en").get_data(as_text=True)
    assert "My tasks" in english and "Log out" in english and '<html lang="en">' in english
    assert "My tasks" in client.get("/inbox").get_data(as_text=True)  # remembered
    public = app.test_client().get("/public?lang=en").get_data(as_text=True)
    assert "Catalogue of proactively disclosed information" in public
