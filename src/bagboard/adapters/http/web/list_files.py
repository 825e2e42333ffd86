"""Reading-list files in the web app: importing a CBL file, exporting a list as one, and
removing a list.

The upload is the one web form that sends a file, so its route alone takes bodies up to the
largest list file (``MAX_LIST_FILE_BYTES``, plus room for the form around it) instead of the
app's 1 MiB; a bigger body is refused while it arrives, with the 413 page. The file is read by
the CBL reader the app is given (``read_list_file``: hardened XML, no entities, a cap on
books), and only a list it accepted reaches ``ReadingListService.import_list``: a refused file
is the 400 page with the reader's message, and nothing is saved.

Who may do what is the service's rule: a list of one's own, a shared one only as an owner
(``Forbidden``, the 403 page), anyone else's is not found (404).
"""

from __future__ import annotations

import ntpath
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Final

from litestar import Request, Response, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from bagboard.adapters.http.files.download import content_disposition
from bagboard.adapters.http.routing import get
from bagboard.adapters.http.web.list_pages import LISTS, list_ref_of
from bagboard.adapters.http.web.list_views import report_labels
from bagboard.adapters.http.web.templating import page
from bagboard.adapters.http.web.views import query
from bagboard.domain.model import User
from bagboard.domain.readlists import (
    MAX_LIST_FILE_BYTES,
    InvalidReadingList,
    ListBook,
    ParsedList,
    named,
)
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ListKind, ReadingOrderService

__all__ = ["LIST_FILE_HANDLERS", "UPLOAD_LIMIT", "too_large_message"]

# The form's other fields and the multipart framing around the file fit in far less.
UPLOAD_LIMIT: Final = MAX_LIST_FILE_BYTES + 64 * 1024
CBL_MEDIA_TYPE: Final = "application/xml"
_NAME_LIMIT: Final = 200

ListReader = Callable[[bytes], ParsedList]
ListWriter = Callable[[str, str, Sequence[ListBook]], bytes]


def too_large_message() -> str:
    megabytes = MAX_LIST_FILE_BYTES // (1024 * 1024)
    return f"That file is too large: a reading list file may hold at most {megabytes} MB."


@dataclass(frozen=True, slots=True)
class ListUpload:
    """The upload form: the file, "share with everyone" (owners), the CSRF token."""

    file: UploadFile | None = None
    shared: str = ""
    csrf_token: str = ""


def _file_stem(filename: str) -> str:
    # The browser's name for the file, for a list whose file names none: no folders, no
    # extension, whatever system the browser runs on.
    base = ntpath.basename(posixpath.basename(filename))
    return posixpath.splitext(base)[0].strip()[:_NAME_LIMIT]


def _read_upload(upload: UploadFile | None) -> tuple[bytes, str]:
    # A form sent with no file chosen still holds the field, with no name and no content.
    if upload is None or not upload.filename:
        raise InvalidReadingList("Choose a CBL file to import.")
    upload.file.seek(0)
    content = upload.file.read(MAX_LIST_FILE_BYTES + 1)
    if not content:
        raise InvalidReadingList("That file is empty: choose a CBL file to import.")
    if len(content) > MAX_LIST_FILE_BYTES:
        raise InvalidReadingList(too_large_message())
    return content, _file_stem(upload.filename or "")


@post(
    LISTS,
    sync_to_thread=True,
    include_in_schema=False,
    request_max_body_size=UPLOAD_LIMIT,
)
def import_list(
    request: Request[Any, Any, Any],
    reading_lists: NamedDependency[ReadingListService],
    read_list_file: NamedDependency[ListReader],
    current_user: NamedDependency[User],
    data: Annotated[ListUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template:
    content, stem = _read_upload(data.file)
    parsed = named(read_list_file(content), stem)
    report = reading_lists.import_list(current_user, parsed, shared=data.shared == "1")
    saved = report.reading_list
    context = {
        "title": f"Imported {saved.name}",
        "saved": saved,
        "href": f"{LISTS}/{saved.id}",
        "books": len(report.books),
        "matched": report_labels(report.matched),
        "ambiguous": report_labels(report.ambiguous),
        "missing": report_labels(report.missing),
    }
    return page("list_import.html", request, context, status_code=201)


def _file_name(name: str) -> str:
    cleaned = "".join("_" if char in '/\\:*?"<>|' else char for char in name).strip(" .")
    return f"{cleaned[:_NAME_LIMIT] or 'reading list'}.cbl"


@get(f"{LISTS}/{{ref:str}}/export", sync_to_thread=False, include_in_schema=False)
def export_list(
    reading_lists: NamedDependency[ReadingListService],
    write_list_file: NamedDependency[ListWriter],
    current_user: NamedDependency[User],
    ref: FromPath[str],
) -> Response[bytes]:
    _, list_id = list_ref_of(ref, ListKind.READING_LIST)
    name, summary, books = reading_lists.export(current_user, list_id)
    return Response(
        write_list_file(name, summary, books),
        media_type=CBL_MEDIA_TYPE,
        headers={"Content-Disposition": content_disposition(_file_name(name))},
    )


@get(f"{LISTS}/{{ref:str}}/remove", sync_to_thread=False, include_in_schema=False)
def confirm_removal(
    request: Request[Any, Any, Any],
    reading_orders: NamedDependency[ReadingOrderService],
    current_user: NamedDependency[User],
    ref: FromPath[str],
) -> Template:
    kind, list_id = list_ref_of(ref, ListKind.READING_LIST)
    view = reading_orders.get(current_user, kind, list_id)
    return page("list_remove.html", request, {"title": f"Remove {view.name}?", "list": view})


@post(f"{LISTS}/{{ref:str}}/remove", sync_to_thread=True, include_in_schema=False)
def remove_list(
    reading_lists: NamedDependency[ReadingListService],
    current_user: NamedDependency[User],
    ref: FromPath[str],
) -> Redirect:
    _, list_id = list_ref_of(ref, ListKind.READING_LIST)
    reading_lists.remove(current_user, list_id)
    return Redirect(LISTS + query(notice="removed"), status_code=303)


LIST_FILE_HANDLERS = (import_list, export_list, confirm_removal, remove_list)
