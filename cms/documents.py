"""Documents editors upload to the CMS (attachments to lessons, news, pages) are checked by
their content, like every other upload (portal/uploads.py): the extension Wagtail allows
(WAGTAILDOCS_EXTENSIONS) must match what the file's bytes are. An .exe renamed .pdf, or a
spreadsheet that is really a script, is refused with a message and nothing is stored.

Wired in with WAGTAILDOCS_DOCUMENT_FORM_BASE, which every Wagtail document form (single and
multiple upload, chooser, edit) is built on."""

from __future__ import annotations

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

from portal.uploads import HEAD_BYTES

# Kinds whose bytes carry a signature filetype recognises, by extension.
SIGNED = {"pdf", "docx", "xlsx", "pptx", "odt"}
# Plain text: no signature; must be text, not a binary in disguise.
TEXT = {"csv", "txt"}


def check_document_content(upload) -> None:
    name = (getattr(upload, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if extension in SIGNED:
        detected = filetype.guess(head)
        if detected is None or detected.extension != extension:
            raise ValidationError(
                _("The file's name says .%(ext)s but its content is not a %(kind)s file.")
                % {"ext": extension, "kind": extension.upper()},
                code="name_mismatch")
    elif extension in TEXT:
        if b"\x00" in head or filetype.guess(head) is not None:
            raise ValidationError(
                _("A .%(ext)s file must be plain text; this one is not.") % {"ext": extension},
                code="not_text")
        for encoding in ("utf-8", "gb18030"):
            try:
                # The head may end inside a multi-byte character: ignore the last 3 bytes.
                head[:-3 if len(head) == HEAD_BYTES else None].decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(
                _("A .%(ext)s file must be plain text; this one is not.") % {"ext": extension},
                code="not_text")


class ContentCheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            check_document_content(upload)
        return upload
