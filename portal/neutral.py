"""Words that tell an outsider a person is under correction (docs/domain.md rule 3), and
text cleaned of them for what leaves the portal's staff pages: calendar entries, which
calendar apps sync and show to anyone near the phone, and certificates.

`neutral_text` drops corrections bodies' names and corrections words; "社区矫正中心"
becomes "社区中心", so a place stays findable."""

from __future__ import annotations

import re
from collections.abc import Iterable

# What certificates, their verification and calendar entries never contain.
CORRECTIONS_WORDS = ("矫正", "社区矫正", "缓刑", "假释", "管制", "监外执行", "严管", "普管",
                     "宽管")
# Kinds of corrections body, named in activity titles and places ("中队公益劳动").
BODY_WORDS = ("司法局", "司法所", "中队", "大队")

# Longest first, so "社区矫正" goes before "矫正".
_REPLACEMENTS = (("社区矫正", "社区"), ("暂予监外执行", ""), ("监外执行", ""))


def has_corrections_words(text: str) -> bool:
    return any(word in (text or "") for word in CORRECTIONS_WORDS)


def corrections_words_in(text: str) -> list[str]:
    """The corrections words `text` holds, to name them in a refusal."""
    return [word for word in CORRECTIONS_WORDS if word in (text or "")]


def neutral_text(text: str, *, names: Iterable[str] = ()) -> str:
    """`text` without the corrections bodies in `names` (e.g. every unit's name) and
    without corrections words; whitespace and punctuation left over are tidied."""
    if not text:
        return text or ""
    out = str(text)
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        out = out.replace(name, "")
    for old, new in _REPLACEMENTS:
        out = out.replace(old, new)
    for word in sorted(CORRECTIONS_WORDS + BODY_WORDS, key=len, reverse=True):
        out = out.replace(word, "")
    out = re.sub(r"^[\s：:，,、·-]+", "", out)
    out = re.sub(r"[ \t]{2,}", " ", out)
    return out.strip()
