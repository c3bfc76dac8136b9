import re

import pytest

pytestmark = pytest.mark.django_db

CONF = "/pytorch-conference-europe-2026"


@pytest.fixture
def pages(demo_conference):
    from schedule.models import Session

    session = Session.objects.filter(conference=demo_conference).first()
    return [
        f"{CONF}/schedule/",
        f"{CONF}/schedule/?layout=list",
        f"{CONF}/sessions/{session.slug}/",
        f"{CONF}/speakers/",
        f"{CONF}/now/",
        f"{CONF}/agenda/",
        f"{CONF}/timezone/",
        "/accounts/login/",
    ]


def test_public_pages_send_a_strict_content_security_policy(client, pages):
    for url in pages:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]+)", policy)[1]
        assert script_src == "'self'", url
        assert "unsafe" not in policy, url
        assert "frame-ancestors 'none'" in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in response["Permissions-Policy"]


def test_public_pages_need_no_inline_script_style_or_handler(client, pages):
    for url in pages:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert not re.search(r"\shx-on", html), url


def test_htmx_is_configured_for_the_policy(client, pages):
    html = client.get(pages[0]).content.decode()

    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html


def test_admin_scripts_stay_strict(admin_client):
    policy = admin_client.get("/admin/")["Content-Security-Policy"]

    assert re.search(r"script-src ([^;]+)", policy)[1] == "'self'"


def test_hostile_title_shows_as_text(client, demo_conference):
    from schedule.models import Session

    session = Session.objects.filter(conference=demo_conference).first()
    session.title = "<script>alert(1)</script>"
    session.save()

    for url in (
        f"{CONF}/schedule/?layout=list",
        f"{CONF}/schedule/",
        f"{CONF}/sessions/{session.slug}/",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
