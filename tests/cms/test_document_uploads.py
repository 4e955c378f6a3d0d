"""Documents uploaded in the CMS are checked by what they are, not what they are called."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

Document = get_document_model()
ADD = "/admin/documents/add/"


def _post(client, name, content):
    return client.post(ADD, {
        "title": name, "collection": Collection.get_first_root_node().pk,
        "file": SimpleUploadedFile(name, content),
    })


def _docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content", [
    ("讲义.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"),
    ("名单.csv", "姓名,时长\n李明,2\n".encode()),
    ("说明.txt", "课前请阅读。".encode("gb18030")),
    ("教案.docx", _docx()),
])
def test_a_real_document_is_stored(world, login, name, content):
    response = _post(login(world.users["editor"]), name, content)
    assert response.status_code == 302, response.content.decode()[:500]
    assert Document.objects.filter(title=name).exists()


@pytest.mark.parametrize("name, content", [
    ("讲义.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),  # a Windows program
    ("名单.csv", b"\x7fELF\x02\x01\x01" + b"\x00" * 200),  # a Linux program
    ("教案.docx", b"%PDF-1.4\n%%EOF\n"),  # a PDF called .docx
    ("说明.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # an image called .txt
])
def test_a_disguised_file_is_refused_and_nothing_is_stored(world, login, name, content):
    response = _post(login(world.users["editor"]), name, content)
    assert response.status_code == 200  # the form again, with its error
    errors = response.context["form"].errors["file"]
    assert errors and errors[0]
    assert not Document.objects.exists()
