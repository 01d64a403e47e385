"""Deliverable files: the type is read from the content, never from the name, and the size is capped."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import InvalidUpload
from .i18n import _

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: "pdf", DOCX: "docx", ODT: "odt", JPEG: "jpg", PNG: "png"}
DOCUMENTS = frozenset({PDF, DOCX, ODT})  # deliverables, CVs, mission reports
RECEIPTS = frozenset({PDF, JPEG, PNG})  # an expense claim's receipts: a PDF or a photo
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    content_type: str
    size_bytes: int
    sha256: str


def sniff(head: bytes, path: Path) -> str | None:
    """PDF, DOCX or ODT by their content; None for anything else."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def store_upload(stream: BinaryIO, upload_dir: str, max_bytes: int,
                 accepted: frozenset[str] = DOCUMENTS) -> StoredFile:
    """Copy the upload under `upload_dir` with a random name, or refuse it and keep nothing."""
    directory = Path(upload_dir)
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".partial-{secrets.token_hex(16)}"
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with partial.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise InvalidUpload(_("The file is larger than the limit of %(limit)s MB.",
                                          limit=max_bytes // (1024 * 1024)), field="file")
                if len(head) < 8:
                    head += chunk[:8]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise InvalidUpload(_("The file is empty."), field="file")
        content_type = sniff(head, partial)
        if content_type is None or content_type not in accepted:
            raise InvalidUpload(_("Only PDF, JPEG and PNG files are accepted.") if accepted == RECEIPTS else
                                _("Only PDF, Word (DOCX) and OpenDocument text (ODT) files are accepted."),
                                field="file")
        stored_name = f"{secrets.token_hex(16)}.{EXTENSIONS[content_type]}"
        os.replace(partial, directory / stored_name)
        return StoredFile(stored_name, content_type, size, digest.hexdigest())
    finally:
        partial.unlink(missing_ok=True)


def remove_stored(upload_dir: str, stored_name: str) -> None:
    """Delete a stored file (used when the transaction that referenced it rolls back)."""
    (Path(upload_dir) / stored_name).unlink(missing_ok=True)


def open_stored(upload_dir: str, stored_name: str) -> io.BufferedReader:
    return (Path(upload_dir) / stored_name).open("rb")


def store_form_upload(upload: object, upload_dir: str, max_bytes: int,
                      accepted: frozenset[str] = DOCUMENTS) -> StoredFile | None:
    """Store a form's file field (a werkzeug FileStorage), or None when no file was chosen."""
    filename = getattr(upload, "filename", None)
    if not filename:
        return None
    if len(filename) > 255:
        raise InvalidUpload(_("The file name is longer than 255 characters; rename the file."), field="file")
    return store_upload(upload.stream, upload_dir, max_bytes, accepted)  # type: ignore[attr-defined]
