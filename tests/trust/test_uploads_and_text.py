"""Uploaded documents are always downloaded (never rendered in the portal's origin), and
text people type is shown as text, never as markup."""

from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model

from portal.notifications.services import notify

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_documents_are_served_as_attachments(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage"}}
    document = get_document_model().objects.create(
        title="协议", file=ContentFile(b"<html><script>alert(1)</script></html>",
                                      name="agreement.txt"))
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    pdf = get_document_model().objects.create(
        title="说明", file=ContentFile(b"%PDF-1.4 ...", name="guide.pdf"))
    assert client.get(pdf.url)["Content-Disposition"].startswith("attachment")


def test_text_people_type_is_escaped(world, login):
    person = world.supervisee.user
    notify(recipient=person, kind="test", title=SCRIPT, body=f"第一行\n{SCRIPT}")
    page = login(person).get(reverse("notifications")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "<img src=x" not in page
