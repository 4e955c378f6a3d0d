"""What a person reads: the portal speaks Simplified Chinese by default, so a test that looks
for a message on a page looks for its translation (and fails if the catalogue lacks it)."""

from django.utils import translation


def zh(msgid: str) -> str:
    """`msgid` as the default (Chinese) interface shows it."""
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    assert text != msgid, f"no Chinese translation for {msgid!r}"
    return text
