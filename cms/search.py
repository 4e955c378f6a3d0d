"""Chinese-aware full-text search on top of Wagtail's database search backend.

Written Chinese has no spaces, so SQLite FTS5 and PostgreSQL's parser read a whole run
of characters ("社区矫正志愿服务队") as one token and a search for "志愿服务" finds
nothing. Every page therefore also indexes a field of overlapping character pairs
(bigrams) and single characters, and a query is cut the same way and searched with
AND: "志愿服务" becomes 志愿 愿服 服务, which all occur in the page. This is the
classic CJK bigram technique; it needs no dictionary and works on both databases.
"""

import re

from django.utils.html import strip_tags

# CJK Unified Ideographs with extension A, compatibility ideographs and the
# supplementary planes' extensions.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_PIECE = re.compile(f"[{_CJK}]+|[^\\W_{_CJK}]+")

MAX_QUERY_LENGTH = 100


def _bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def index_text(*parts) -> str:
    """The bigram and single-character tokens of every Chinese run in `parts`."""
    tokens: dict[str, None] = {}
    for part in parts:
        if not part:
            continue
        for run in _CJK_RUN.findall(strip_tags(str(part))):
            tokens.update(dict.fromkeys(run))
            tokens.update(dict.fromkeys(_bigrams(run)))
    return " ".join(tokens)


def query_terms(query: str) -> str:
    """The search terms for what a person typed: Chinese runs as bigrams (a single
    character as itself), other words as they are. Punctuation and search-engine
    operators are dropped, so no input can break the backend's query syntax."""
    terms: dict[str, None] = {}
    for piece in _PIECE.findall(query or ""):
        if _CJK_RUN.fullmatch(piece):
            terms.update(dict.fromkeys(_bigrams(piece) if len(piece) > 1 else [piece]))
        else:
            terms[piece] = None
    return " ".join(terms)


def is_cjk(text: str) -> bool:
    return bool(_CJK_RUN.search(text or ""))
