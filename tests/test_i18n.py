"""Chinese first: the portal speaks Simplified Chinese unless a person picks English,
and every string in the code has a Chinese translation."""

import os
import re
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


# --- Issue 30: the catalogues read as one language, in one style (docs/style-zh.md). ---

ADMIN_CATALOGUES = sorted((Path(settings.BASE_DIR) / "cms" / "locale_admin").glob("*/LC_MESSAGES/*.po"))
CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"


def _messages(path: Path):
    """(msgctxt, msgid, msgstr, fuzzy) of every entry but the header (msgstr[0] for plurals)."""
    out = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, key, fuzzy = {}, None, False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
            elif " " in line:
                key, value = line.split(" ", 1)
                fields[key] = value[1:-1]
        if fields.get("msgid"):
            out.append((fields.get("msgctxt"), fields["msgid"],
                        fields.get("msgstr", fields.get("msgstr[0]", "")), fuzzy))
    return out


def test_the_admin_catalogues_are_complete():
    """The strings Wagtail's own catalogue lacks (cms/locale_admin) are all translated."""
    assert ADMIN_CATALOGUES, "cms/locale_admin has no catalogue"
    for path in ADMIN_CATALOGUES:
        missing = [m[1] for m in _messages(path) if not m[2] or m[3]]
        assert not missing, f"{path}: untranslated or fuzzy: {missing[:10]}"


# One Chinese word for two different English messages is allowed only where they mean the
# same thing. Inflections (plural, case, hyphens, small words) count as the same message.
SAME_MEANING = {
    "30 天内期满": ("Term ends within 30 days", "terms ending within 30 days"),
    "转介原因（仅工作人员可见）": ("Reason (staff only)", "Why you refer the person (staff only)",
                        "reason for the referral (staff only)"),
    "导出时间": ("Exported at", "made at"),
    "证明组织": ("Certifying organisation", "certified by"),
    "内容": ("Content", "what"),
    "原因": ("reason", "why"),
    "发布时间": ("posted at", "published at"),
    "同意": ("Agree", "Consent", "Yes, I agree"),
    "启用": ("active", "in use"),
    "地点": ("Place", "Where"),
    "场所类型": ("Kind of place", "venue type"),
    "审批": ("Decide", "Decision"),
    "居住区县": ("Lives in", "home district"),
    "工作日": ("Weekdays", "Working days"),
    "已停用": ("Switched off", "inactive"),
    "已完成": ("Done", "completed"),
    "待确认时长": ("Hours to confirm", "Hours waiting for confirmation"),
    "您无权进行此操作。": ("You are not allowed to do this.", "You may not do this."),
    "您的社区矫正工作人员推荐": ("Recommended by your caseworker", "Your caseworker recommends"),
    "截止日期": ("Due", "Until"),
    "手机号": ("Mobile number", "mobile phone"),
    "报名截止时间": ("sign-up closes", "sign-up deadline"),
    "提交时间": ("reported at", "submitted at"),
    "提供方": ("Provided by", "Provider"),
    "日期": ("Day", "date"),
    "时段": ("Time of day", "slot"),
    "暂无。": ("None yet.", "Nothing yet."),
    "暂无记录。": ("No notes yet.", "None recorded."),
    "更正": ("Correct", "Correction"),
    "本人不同意": ("The person did not consent", "The person does not agree"),
    "正文": ("Text", "body"),
    "每月完成课程数": ("Course completions per month", "Courses completed per month"),
    "申请": ("Apply", "application"),  # a job application; the filter button is 查询
    "申请人": ("Applicant", "requested by"),
    "目标": ("Goals", "Targets"),
    "类型": ("Kind", "type"),
    "组织方": ("Organised by", "Organiser"),
    "结束日期": ("Finished on", "ends on"),
    "编辑档案": ("Edit record", "Edited record"),
    "联系方式": ("How to reach us", "contact"),
    "计入时长": ("Hours to credit", "hours credited"),
    "记录": ("Record", "entry"),
    "设置密码": ("Choose a password", "Set your password"),
    "该活动已停止报名。": ("Sign-up is closed for this activity.",
                   "This activity is no longer open for sign-up."),
    "课堂": ("class", "class session"),
    "起始日期": ("From", "since"),
    "转介": ("Refer", "referral"),
    "转介原因": ("Why you refer the person", "reason for the referral"),
    "预约": ("Book", "appointment"),
}
_SMALL_WORDS = {"the", "a", "an", "this", "of", "by", "at", "on", "for", "per", "to", "your",
                "you", "i", "is", "are", "there", "it", "with", "in", "yet", "please", "and"}


def _words(msgid: str) -> frozenset:
    words = set()
    for word in re.findall(r"[a-z0-9']+", msgid.lower().replace("-", " ")):
        if word in _SMALL_WORDS:
            continue
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif word.endswith(("sses", "xes", "ches", "shes")):
            word = word[:-2]
        elif len(word) > 5 and word.endswith("ing"):
            word = word[:-3]
        elif len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return frozenset(words)


def test_one_chinese_word_does_not_stand_for_two_meanings():
    """"Apply" (a filter) and "Apply" (for a job) were one message, so the filter button
    read 申请: the portal's own messages with one translation must mean one thing
    (pgettext tells the others apart), unless SAME_MEANING lists them."""
    by_translation = {}
    for _ctx, msgid, msgstr, _fuzzy in _messages(CATALOGUE):
        by_translation.setdefault(msgstr, set()).add(msgid)
    clashes = {}
    for msgstr, msgids in by_translation.items():
        sets = {_words(m) for m in msgids}
        if all(a <= b or b <= a for a in sets for b in sets):
            continue  # the same message, inflected or shortened
        allowed = {_words(m) for m in SAME_MEANING.get(msgstr, ())}
        if not all(any(s <= a or a <= s for a in allowed) for s in sets):
            clashes[msgstr] = sorted(msgids)
    assert not clashes, (
        "different messages share one translation (use pgettext, or add them to "
        f"SAME_MEANING if they mean the same): {clashes}")


@pytest.mark.parametrize("path", [CATALOGUE, *ADMIN_CATALOGUES], ids=lambda p: p.parent.parent.parent.parent.name + "/" + p.name)
def test_chinese_translations_use_full_width_punctuation(path):
    """docs/style-zh.md: a colon, comma or semicolon next to a Chinese character is the
    full-width one (，：；), e.g. "参加课堂：…", not "参加课堂: …"."""
    ascii_next_to_cjk = re.compile(rf"[{CJK}]\s*[:,;]|[:,;]\s*[{CJK}]")
    wrong = [(m[1], m[2]) for m in _messages(path) if ascii_next_to_cjk.search(m[2])]
    assert not wrong, f"ASCII punctuation in Chinese text: {wrong[:10]}"
