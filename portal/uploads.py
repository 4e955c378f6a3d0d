"""Checking uploaded files by what they ARE, not what they are called.

A file's name and the browser's Content-Type are the uploader's claims; an .exe renamed
"成绩单.pdf" carries both. `validate_upload` reads the first bytes (the magic number, via
`filetype`) and accepts only the kinds a feature allows, within a size limit. It returns
the detected kind so the caller stores *that* content type, never the claimed one.

    from portal.uploads import DOCUMENT_KINDS, UploadRejected, validate_upload

    try:
        kind = validate_upload(request.FILES["file"], allowed=DOCUMENT_KINDS)
    except UploadRejected as error:
        form.add_error("file", error.message)

Serve stored uploads only through a view that checks access, with
`attachment_response` (Content-Disposition: attachment, nosniff), never from MEDIA_URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import filetype
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    extension: str
    mime: str


PDF = Kind("pdf", "application/pdf")
JPEG = Kind("jpg", "image/jpeg")
PNG = Kind("png", "image/png")
DOCUMENT_KINDS = (PDF, JPEG, PNG)
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
HEAD_BYTES = 8192


class UploadRejected(ValidationError):
    """A refused upload; `message` says why in the user's language, `code` is stable."""

    def __init__(self, message: str, code: str):
        super().__init__(message, code=code)
        self.message, self.code = str(message), code


def validate_upload(upload, *, allowed=DOCUMENT_KINDS,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> Kind:
    """Refuse an empty, oversized or disguised file; answer the kind its content shows.

    Checks, in order: there is content; it is at most `max_bytes`; its magic bytes are one
    of `allowed`; and its name's extension does not claim another kind (a PNG called
    .pdf is refused too, so the stored name never misleads whoever downloads it)."""
    if upload is None:
        raise UploadRejected(_("Choose a file to upload."), "missing")
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise UploadRejected(_("The file is empty."), "empty")
    if size > max_bytes:
        raise UploadRejected(
            _("The file is too large (%(size)s); the limit is %(limit)s.") % {
                "size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            "too_large")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    detected = filetype.guess(head)
    names = ", ".join(k.extension.upper() for k in allowed)
    kind = next((k for k in allowed if detected is not None and detected.mime == k.mime),
                None)
    if kind is None:
        raise UploadRejected(
            _("This file is not an accepted kind of document: only %(kinds)s files are "
              "accepted, and the file's content is checked, not its name.") % {"kinds": names},
            "wrong_type")
    name = (getattr(upload, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    accepted_extensions = {kind.extension, *({"jpeg"} if kind is JPEG else set())}
    if extension and extension not in accepted_extensions:
        raise UploadRejected(
            _("The file's name says .%(ext)s but its content is %(kind)s. Rename it and "
              "try again.") % {"ext": extension, "kind": kind.extension.upper()},
            "name_mismatch")
    return kind


def safe_filename(name: str, kind: Kind) -> str:
    """A stored name: the original stem without path parts, the detected extension."""
    stem = (name or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in "-_ ")[:80].strip() or "file"
    return f"{stem}.{kind.extension}"


def attachment_response(fileobj, *, filename: str, content_type: str) -> FileResponse:
    """Hand a stored upload out as a download the browser will not render inline or
    sniff into something else."""
    response = FileResponse(fileobj, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
