"""Which release runs (config/release.py): the same on every server with the same code, another
as soon as anything the pages are made from changes, or what the deploy names."""

import shutil

import pytest
from django.conf import settings

from config.release import APPS, release

pytestmark = pytest.mark.once


@pytest.fixture
def code(tmp_path):
    for app in APPS:
        shutil.copytree(settings.BASE_DIR / app, tmp_path / app)
    shutil.copy(settings.BASE_DIR / "requirements.lock", tmp_path)
    return tmp_path


def test_the_same_code_is_the_same_release(code, monkeypatch):
    monkeypatch.delenv("RELEASE", raising=False)

    assert release(code) == release(settings.BASE_DIR)


@pytest.mark.parametrize(
    "changed",
    [
        "public/templates/schedule/day.html",
        "public/static/css/site.css",
        "conference/models.py",
        "requirements.lock",
    ],
)
def test_a_change_to_what_pages_are_made_from_is_another_release(code, monkeypatch, changed):
    monkeypatch.delenv("RELEASE", raising=False)
    before = release(code)

    with (code / changed).open("a") as file:
        file.write("\n")

    assert release(code) != before


def test_the_deploy_may_name_the_release(code, monkeypatch):
    monkeypatch.setenv("RELEASE", "2026-11-29.3")

    assert release(code) == "2026-11-29.3"
