"""Field rules of the iOS clients, transcribed from their models.

- KMR: everpcpc/KMReader @ d195902: ``KMReader/Features/Auth/Models/User.swift``,
  ``Features/Library/Models/Library.swift``, ``Features/Series/Models/{Series,Metadata/
  SeriesMetadata,Metadata/SeriesBooksMetadata}.swift``, ``Features/Book/Models/{Book,Media,
  ReadProgress,BookPage,Metadata/BookMetadata}.swift``, ``Features/Reader/Models/Page.swift``.
  Swift ``Codable``: an optional property may be absent or null (``O``); ``Media`` has a
  hand-written decoder where only ``mediaType`` and ``pagesCount`` are required.
- AID: Aidoku/Aidoku @ eb812a5 ``Shared/Sources/Komga/KomgaModels.swift`` and the tracker's
  private models in ``Shared/Tracking/Trackers/komga/KomgaApi.swift``.
- PB: FramboisePi/paperback-extensions ``src/Komga/Komga.ts`` @ 32880e2: JavaScript reads, no
  decoding; a key it reads must be there (``.map`` on an absent list throws).
"""

from __future__ import annotations

__all__ = ["AID", "KMR", "PB", "TABLES"]

# fmt: off
_COUNTS = {
    k: "R int" for k in ("booksCount", "booksReadCount", "booksUnreadCount", "booksInProgressCount")
}

KMR = {
    "User": {"id": "R str", "email": "R str", "roles": "R [str]"},
    "Library": {"id": "R str", "name": "R str", "root": "R str", "oneshotsDirectory": "O str",
                "scanInterval": "O str", "seriesCover": "O str"},
    "Series": {
        "id": "R str", "libraryId": "R str", "name": "R str", "url": "R str",
        "created": "R datetime", "lastModified": "R datetime", "metadata": "R @SeriesMetadata",
        "booksMetadata": "R @BooksMetadata", "deleted": "R bool", "oneshot": "R bool",
    } | _COUNTS,
    "SeriesMetadata": {
        "title": "R str", "titleSort": "R str", "status": "O str", "summary": "O str",
        "readingDirection": "O str", "publisher": "O str", "ageRating": "O int",
        "language": "O str", "genres": "O [str]", "tags": "O [str]", "totalBookCount": "O int",
        "created": "O str", "lastModified": "O str",
    },
    "BooksMetadata": {
        "authors": "O [@Author]", "tags": "O [str]", "releaseDate": "O str", "summary": "O str",
        "summaryNumber": "O str", "created": "O str", "lastModified": "O str",
    },
    "Author": {"name": "R str", "role": "R str"},
    "Book": {
        "id": "R str", "seriesId": "R str", "seriesTitle": "R str", "libraryId": "R str",
        "name": "R str", "url": "R str", "number": "R num", "created": "R datetime",
        "lastModified": "R datetime", "sizeBytes": "R int", "size": "R str", "media": "R @Media",
        "metadata": "R @BookMetadata", "readProgress": "O @ReadProgress", "deleted": "R bool",
        "fileHash": "O str", "oneshot": "R bool",
    },
    "Media": {
        "status": "O str", "mediaType": "R str", "pagesCount": "R int", "comment": "O str",
        "mediaProfile": "O str", "epubDivinaCompatible": "O bool", "epubIsKepub": "O bool",
    },
    "BookMetadata": {
        "title": "R str", "number": "R str", "numberSort": "R num", "summary": "O str",
        "releaseDate": "O str", "authors": "O [@Author]", "tags": "O [str]", "isbn": "O str",
        "created": "O str", "lastModified": "O str",
    },
    "ReadProgress": {
        "page": "R int", "completed": "R bool", "readDate": "R datetime",
        "created": "R datetime", "lastModified": "R datetime",
    },
    "PageDto": {
        "number": "R int", "fileName": "R str", "mediaType": "R str", "width": "O int",
        "height": "O int", "sizeBytes": "O int", "size": "R str",
    },
    "Sort": {"sorted": "R bool", "unsorted": "R bool", "empty": "R bool"},
    "Pageable": {
        "sort": "R @Sort", "offset": "R int", "pageNumber": "R int", "pageSize": "R int",
        "paged": "R bool", "unpaged": "R bool",
    },
    "Page": {
        "content": "R [any]", "pageable": "R @Pageable", "totalElements": "R int",
        "totalPages": "R int", "last": "R bool", "size": "R int", "number": "R int",
        "numberOfElements": "R int", "first": "R bool", "empty": "R bool",
    },
}

AID = {
    "User": {"email": "R str"},
    "Library": {"id": "R str", "name": "R str"},
    "PageDto": {"number": "R int", "mediaType": "R str"},
    "Page": {"content": "R [any]", "totalPages": "R int"},
    "Author": {"name": "R str", "role": "O str"},
    "Book": {
        "id": "R str", "seriesId": "R str", "libraryId": "R str", "name": "R str",
        "media": "R @Media", "metadata": "R @BookMetadata", "readProgress": "O @ReadProgress",
    },
    "Media": {"mediaProfile": "R str", "epubDivinaCompatible": "R bool", "pagesCount": "R int"},
    "BookMetadata": {
        "title": "R str", "number": "R str", "numberSort": "R num", "authors": "R [@Author]",
        "tags": "R [str]", "created": "R datetime", "releaseDate": "O date",
    },
    "ReadProgress": {"page": "R int", "completed": "R bool", "lastModified": "O datetime"},
    "Series": {
        "id": "R str", "libraryId": "R str", "name": "R str", "metadata": "R @SeriesMetadata",
        "booksMetadata": "R @BooksMetadata", "booksCount": "R int", "oneshot": "O bool",
    },
    "SeriesMetadata": {
        "ageRating": "O int", "status": "R {ENDED|ONGOING|ABANDONED|HIATUS}", "title": "R str",
        "summary": "R str", "genres": "R [str]", "tags": "R [str]",
        "readingDirection": "R {LEFT_TO_RIGHT|RIGHT_TO_LEFT|VERTICAL|SCROLL|WEBTOON|}",
    },
    "BooksMetadata": {"authors": "R [@Author]", "summary": "O str", "tags": "R [str]"},
    "TachiyomiV2": {
        "booksCount": "O int", "booksReadCount": "O int", "booksUnreadCount": "O int",
        "booksInProgressCount": "O int", "lastReadContinuousNumberSort": "R num",
        "maxNumberSort": "R num",
    },
    "Error": {"error": "R str", "message": "O str"},
}

PB = {
    "Series": {"id": "R str", "metadata": "R @SeriesMetadata", "booksMetadata": "R @BooksMetadata"},
    "SeriesMetadata": {
        "title": "R str", "status": "R str", "language": "R str", "summary": "R str",
        "genres": "R [str]", "tags": "R [str]", "readingDirection": "R str",
        "lastModified": "R datetime",
    },
    "BooksMetadata": {"authors": "R [@Author]", "summary": "R str"},
    "Author": {"name": "R str", "role": "R str"},
    "Book": {
        "id": "R str", "size": "R str", "fileLastModified": "R datetime",
        "metadata": "R @BookMetadata",
    },
    "BookMetadata": {"numberSort": "R num", "number": "R str", "title": "R str"},
    "PageDto": {"number": "R int", "mediaType": "R str"},
    "Page": {"content": "R [any]"},
}
# fmt: on

TABLES = {"KMR": KMR, "AID": AID, "PB": PB}
