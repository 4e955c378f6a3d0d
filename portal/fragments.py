"""What every template fragment kept in Django's cache (`{% cache %}`) is keyed on
besides its own data: `fragment_token`, a digest of the project's template files.

It changes when a template file changes: under the development server the autoreloader
announces the edit (`file_changed`, as it resets the template loader) and the next
request renders afresh; a deployment with other templates gets other keys. So an edited
template shows on the next request and no old fragment of it is served. The token is
a few characters per process; the HTML itself lives only in Django's cache."""

from __future__ import annotations

import hashlib
import pickle
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings

TEMPLATE_SUFFIXES = (".html", ".txt", ".xml", ".svg")

_token: str | None = None


def template_dirs() -> list[Path]:
    """The project's own template directories (settings DIRS and the apps of this
    repository; installed libraries' templates change only with a deployment)."""
    found = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and "site-packages" not in path.parts:
            found.append(path / "templates")
    return [d for d in found if d.is_dir()]


def _digest() -> str:
    digest = hashlib.sha1()
    for folder in template_dirs():
        for path in sorted(folder.rglob("*")):
            if path.suffix in TEMPLATE_SUFFIXES:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size};".encode())
    return digest.hexdigest()[:12]


def fragment_token() -> str:
    global _token
    if _token is None:
        _token = _digest()
    return _token


def templates_changed(sender=None, file_path=None, **kwargs):
    """The autoreloader saw a file change: a template's fragments are keyed afresh.
    Returns nothing, so whether to restart stays Django's decision."""
    global _token
    if file_path is None or Path(file_path).suffix in TEMPLATE_SUFFIXES:
        # A new token even when the edit left the file's time and size as they were.
        _token = uuid.uuid4().hex[:12]


def fragment_context() -> dict:
    """The context every template gets (portal.context_processors.navigation)."""
    return {"fragment_token": fragment_token()}


def data_key(*parts) -> str:
    """A key for a fragment that shows `parts` (rows, figures) and nothing else: a digest
    of all their values, related rows loaded with them included. The rows are read on
    every request as before; only their rendering is kept. Any change to what they hold
    (a new row, a changed status, a renamed unit) gives another key, so the fragment can
    never be stale, and two viewers share a fragment only when it shows the same data."""
    return hashlib.sha1(pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()
