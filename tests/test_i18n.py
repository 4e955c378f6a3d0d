"""Chinese first: the portal speaks Simplified Chinese unless a person picks English,
and every string in the code has a Chinese translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_default_language_is_chinese_even_for_an_english_browser(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert 'lang="zh-CN"' in body
    assert "登录" in body


def test_a_person_can_switch_to_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in body
    assert "Sign in" in body
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "登录" in client.get("/accounts/login/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_chinese(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/")["Content-Language"] == "zh-hans"


def _entries(po_text: str):
    """(msgid, msgstr, fuzzy) of every entry but the header; handles plurals loosely."""
    entries, block = [], []
    for line in po_text.splitlines() + [""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            fuzzy = any(b.startswith("#,") and "fuzzy" in b for b in block)
            msgid, msgstr, current = [], [], None
            for b in block:
                if b.startswith("msgid "):
                    current = msgid
                    current.append(b[6:].strip('"'))
                elif b.startswith("msgid_plural"):
                    current = None
                elif b.startswith("msgstr"):
                    current = msgstr
                    current.append(b.split(" ", 1)[1].strip('"'))
                elif b.startswith('"') and current is not None:
                    current.append(b.strip('"'))
            if block and not all(b.startswith("#~") for b in block):
                entries.append(("".join(msgid), "".join(msgstr), fuzzy))
            block = []
    return [e for e in entries if e[0]]


def test_every_message_has_a_chinese_translation():
    entries = _entries(CATALOGUE.read_text(encoding="utf-8"))
    assert entries, "the Chinese catalogue is empty"
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert not missing, f"{len(missing)} untranslated or fuzzy messages, e.g. {missing[:10]}"


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("CI"),
    reason="GNU gettext (xgettext) is not installed; CI installs it",
)
def test_catalogue_holds_every_string_in_the_code(tmp_path):
    """Run makemessages over a copy of the tree: no msgid may appear that the catalogue
    lacks (so every string a person can see has been translated)."""
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(base, copy, ignore=shutil.ignore_patterns(
        ".venv", "node_modules", ".git", "media", "staticfiles", "tests", "__pycache__",
        "*.sqlite3*", ".pytest_cache", "bench-results", "private_media", "backups"))
    # The benchmark's reference project is the stock `wagtail start` site, kept as it is.
    shutil.rmtree(copy / "portal" / "bench" / "reference", ignore_errors=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-v0"],
        cwd=copy, env=env, check=True, capture_output=True, timeout=300,
    )
    before = {e[0] for e in _entries(CATALOGUE.read_text(encoding="utf-8"))}
    po = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    after = {e[0] for e in _entries(po.read_text(encoding="utf-8"))}
    new = sorted(after - before)
    assert not new, f"{len(new)} strings missing from the catalogue (run `make messages`): {new[:10]}"
    # And none that makemessages no longer finds: a string still shown but hidden from it
    # (gettext inside an f-string) would lose its translation at the next `make messages`.
    lost = sorted(before - after)
    assert not lost, f"{len(lost)} catalogue strings makemessages no longer finds: {lost[:10]}"
