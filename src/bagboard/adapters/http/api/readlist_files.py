"""``/readlists`` written: import a CBL file, export a list as one, remove a list (a bagboard
extension).

An import takes the file itself as the body, whatever its ``Content-Type``
(``application/xml``, ``text/xml`` or none): the one route whose body may exceed the app's
1 MiB, up to ``MAX_LIST_FILE_BYTES``; a larger one is refused with 413 before it is read
whole. The file is read by the CBL reader the app is given (``read_list_file``, hardened XML
from ``adapters.readlists``): anything that is not a CBL list, entity tricks included, is a
400 ``invalid_reading_list`` and nothing is saved. Importing a list of the same name again
replaces it; a file that names no list is imported as "Reading list".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Final

from litestar import Controller, MediaType, Request, Response, delete, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.openapi import ResponseSpec
from litestar.params import RawBody

from bagboard.adapters.http.api.browse_json import OK, OkBody
from bagboard.adapters.http.api.readlist_params import (
    LIST_MISSING,
    ListIdParam,
    SharedParam,
    list_id_of,
    served,
    shared_flag,
)
from bagboard.adapters.http.api.readlists_json import ImportReportJson, import_report_body
from bagboard.adapters.http.api.schemas import ErrorBody
from bagboard.adapters.http.docs import examples, list_examples
from bagboard.adapters.http.docs.openapi import error_statuses, file_body, ok
from bagboard.adapters.http.files.download import content_disposition
from bagboard.adapters.http.routing import get
from bagboard.domain.model import User
from bagboard.domain.readlists import (
    MAX_LIST_FILE_BYTES,
    UNNAMED_LIST,
    ListBook,
    ParsedList,
    named,
)
from bagboard.services.reading_lists import ReadingListService
from bagboard.services.reading_orders import ListKind, ReadingOrderService

__all__ = ["CBL_MEDIA_TYPE", "ReadingListFilesController", "cbl_file_name"]

CBL_MEDIA_TYPE: Final = "application/xml"
_UNSAFE: Final = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_NAME_LIMIT: Final = 100

# The CBL reader and writer the app is given (``adapters.readlists``, another adapter's).
ListReader = Callable[[bytes], ParsedList]
ListWriter = Callable[[str, str, Sequence[ListBook]], bytes]

BAD_FILE = error_statuses(
    {
        400: "`invalid_reading_list`: the body is not a CBL reading list (not XML, not a "
        "`<ReadingList>`, too many books, or XML with a DTD or entities, which are refused); "
        "`invalid_input`: `shared` is neither `true` nor `false`.",
        403: "`forbidden`: `shared=true` from a user who is not an owner.",
        413: "`payload_too_large`: the body is over 10 MiB.",
    }
)
SHARED_OWNERS = error_statuses({403: "`forbidden`: a shared list, and the caller is not an owner."})


def too_large(request: Request[Any, Any, Any], exc: HTTPException) -> Response[ErrorBody]:
    """The 413 of an import, saying what the limit is (the app's own names none)."""
    megabytes = MAX_LIST_FILE_BYTES // (1024 * 1024)
    body = ErrorBody(
        error="payload_too_large",
        message=f"A reading list file may be at most {megabytes} MiB",
    )
    return Response(body, status_code=413, media_type=MediaType.JSON)


def cbl_file_name(name: str) -> str:
    """A file name for the list: its name without characters file systems refuse."""
    base = _UNSAFE.sub("_", name).strip(" ._")[:_NAME_LIMIT].strip(" ._")
    return f"{base or UNNAMED_LIST}.cbl"


class ReadingListFilesController(Controller):
    path = "/readlists"
    tags = ["readlists"]

    @post(
        "/",
        sync_to_thread=True,
        status_code=201,
        request_max_body_size=MAX_LIST_FILE_BYTES,
        exception_handlers={413: too_large},
        opt=file_body(CBL_MEDIA_TYPE, list_examples.CBL_FILE),
        responses=ok(
            ImportReportJson,
            list_examples.IMPORT_REPORT,
            description="Imported: the saved list, and how each of its books matched",
            status=201,
        )
        | BAD_FILE,
    )
    def import_list(
        self,
        current_user: NamedDependency[User],
        body: RawBody,
        reading_lists: NamedDependency[ReadingListService | None] = None,
        reading_orders: NamedDependency[ReadingOrderService | None] = None,
        read_list_file: NamedDependency[ListReader | None] = None,
        shared: SharedParam = None,
    ) -> ImportReportJson:
        """Import a CBL file (the body) as a reading list, matching its books against the
        comics the list's readers may see; a list of the same name is replaced."""
        as_shared = shared_flag(shared)
        parsed = named(served(read_list_file)(body))
        report = served(reading_lists).import_list(current_user, parsed, shared=as_shared)
        header = served(reading_orders).get(
            current_user, ListKind.READING_LIST, report.reading_list.id
        )
        return import_report_body(header, report)

    @delete(
        "/{list_id:str}",
        sync_to_thread=True,
        status_code=200,
        responses=ok(OkBody, examples.OK) | LIST_MISSING | SHARED_OWNERS,
    )
    def remove(
        self,
        current_user: NamedDependency[User],
        list_id: ListIdParam,
        reading_lists: NamedDependency[ReadingListService | None] = None,
    ) -> OkBody:
        """Remove one of the caller's lists, or (an owner) a shared list."""
        served(reading_lists).remove(current_user, list_id_of(list_id))
        return OK

    @get(
        "/{list_id:str}/cbl",
        sync_to_thread=False,
        responses={
            200: ResponseSpec(
                bytes,
                description="The list as a CBL file, every entry in order",
                media_type=CBL_MEDIA_TYPE,
                generate_examples=False,
            )
        }
        | LIST_MISSING,
    )
    def export(
        self,
        current_user: NamedDependency[User],
        list_id: ListIdParam,
        reading_lists: NamedDependency[ReadingListService | None] = None,
        write_list_file: NamedDependency[ListWriter | None] = None,
    ) -> Response[bytes]:
        """The list as a CBL file to download, every entry as the list names it."""
        name, summary, books = served(reading_lists).export(current_user, list_id_of(list_id))
        headers = {"Content-Disposition": content_disposition(cbl_file_name(name))}
        data = served(write_list_file)(name, summary, books)
        return Response(data, media_type=CBL_MEDIA_TYPE, headers=headers)
