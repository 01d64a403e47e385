"""The IATI files: built from the published Actions, kept on disk once per data version, streamed.

activities.xml grows with the portfolio, so it is never held whole in memory: the records are read a
chunk of Actions at a time and written one `iati-activity` at a time (`xml.activities_document`). The
first request after a change of the portfolio streams it while writing it to `IATI_CACHE_DIR` under a
name made of the data version's token (`workflow.core.figures`) and the settings; the next requests
send that file. A build left unfinished (the client went away) leaves no file behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from flask import current_app, g, url_for
from sqlalchemy import func
from sqlalchemy.orm import Session

from ..actions.models import Action
from ..catalogue.services import published_actions
from ..core.errors import NotFound
from ..core.figures import current_token
from ..core.i18n import _
from ..reference.services import country_name
from .activity import activity_record
from .queries import activity_chunks, published_ids
from .records import IatiActivity, IatiSettings

READ_SIZE = 64 * 1024


def absolute(path: str) -> str:
    return current_app.config["PEERFLOW_BASE_URL"] + path


SAMPLE_ID = 987654321  # stands for the Action's id in the address built once per request


def page_url(action_id: int) -> str:
    """The Action's page in the public catalogue (its activity web page); the route is built once per request
    (thousands of Actions in the activities file)."""
    template = g.get("catalogue_page_url")
    if template is None:
        template = g.catalogue_page_url = absolute(url_for("catalogue.show", action_id=SAMPLE_ID))
    return template.replace(str(SAMPLE_ID), str(action_id))


def english_name(code: str) -> str:
    return country_name(code, "en")


def activity_records(session: Session, settings: IatiSettings, page_url: Callable[[int], str],
                     country_name: Callable[[str], str], ids: list[int] | None = None) -> Iterator[IatiActivity]:
    """Every published Action's record (or those of `ids`, if published), a chunk of Actions at a time."""
    published = published_ids(session)
    if ids is not None:
        wanted = set(ids)
        published = [i for i in published if i in wanted]
    for chunk in activity_chunks(session, published):
        for action in chunk.actions:
            yield activity_record(action, settings, page_url=page_url(action.id), country_name=country_name,
                                  beneficiaries=chunk.beneficiaries.get(action.id, ()),
                                  experts=chunk.experts.get(action.id, ()), held=chunk.held.get(action.id),
                                  results=chunk.results.get(action.id, ()))


def published_record(session: Session, settings: IatiSettings, action_id: int, page_url: Callable[[int], str],
                     country_name: Callable[[str], str]) -> IatiActivity:
    """One published Action's record; NotFound for any other (as its public page)."""
    for record in activity_records(session, settings, page_url, country_name, ids=[action_id]):
        return record
    raise NotFound(_("No such Action."))


def last_published_change(session: Session) -> datetime | None:
    stmt = published_actions().with_only_columns(func.max(Action.updated_at)).order_by(None)
    return session.scalar(stmt)


def version_key(session: Session, *parts: object) -> str | None:
    """A name for what the data as it is now builds with these settings; None when it cannot be kept."""
    token = current_token(session)
    if token is None:
        return None
    return hashlib.sha256(repr((token, *parts)).encode()).hexdigest()[:32]


def kept_file(directory: str, name: str, key: str) -> Path:
    return Path(directory) / f"{name}-{key}.xml"


def keep_while_streaming(directory: str, name: str, key: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Yield `chunks`, writing them to a file that takes its kept name only once complete; the files of
    earlier versions are removed then."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}-", suffix=".part", dir=folder)
    complete = False
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
                yield chunk
        final = kept_file(directory, name, key)
        os.replace(temporary, final)
        complete = True
        for old in folder.glob(f"{name}-*.xml"):
            if old != final:
                old.unlink(missing_ok=True)
    finally:
        if not complete:
            Path(temporary).unlink(missing_ok=True)


def read_file(path: Path) -> Iterator[bytes]:
    with path.open("rb") as source:
        while chunk := source.read(READ_SIZE):
            yield chunk
