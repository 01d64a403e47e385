"""Deliverable uploads: the type comes from the content, the size is capped, nothing is left behind."""

import io
import zipfile

import pytest

from workflow.core.errors import InvalidUpload
from workflow.core.uploads import DOCX, ODT, PDF, store_upload


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODT)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.mark.parametrize("content, expected", [(PDF_BYTES, PDF), (docx_bytes(), DOCX), (odt_bytes(), ODT)])
def test_accepted_types_are_recognised_from_content(tmp_path, content, expected):
    stored = store_upload(io.BytesIO(content), str(tmp_path), 1024 * 1024)
    assert stored.content_type == expected
    assert (tmp_path / stored.stored_name).read_bytes() == content
    assert stored.size_bytes == len(content)


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 an executable", b"<html><script>alert(1)</script>", b"PK\x03\x04 not really a zip",
     b"\x89PNG\r\n\x1a\n"],
)
def test_other_content_is_refused_whatever_its_name(tmp_path, content):
    with pytest.raises(InvalidUpload, match="Only PDF"):
        store_upload(io.BytesIO(content), str(tmp_path), 1024 * 1024)
    assert list(tmp_path.iterdir()) == []


def test_a_zip_that_is_not_a_document_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", "MZ")
    with pytest.raises(InvalidUpload):
        store_upload(io.BytesIO(buffer.getvalue()), str(tmp_path), 1024 * 1024)


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(tmp_path):
    with pytest.raises(InvalidUpload, match="larger than"):
        store_upload(io.BytesIO(PDF_BYTES + b"x" * 2048), str(tmp_path), 1024)
    assert list(tmp_path.iterdir()) == []


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(InvalidUpload, match="empty"):
        store_upload(io.BytesIO(b""), str(tmp_path), 1024)
