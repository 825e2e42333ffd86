"""Field rules of the Kotlin clients, transcribed from their DTO classes.

- EXT: keiyoushi/extensions-source ``src/all/komga/src/eu/kanade/tachiyomi/extension/all/komga/
  dto/{Dto,PageWrapperDto}.kt`` @ fd4236e; decoded with Mihon's Json (``ignoreUnknownKeys``,
  ``explicitNulls = false``: mihonapp/mihon ``app/src/main/java/mihon/app/di/AppBindings.kt``),
  so a nullable key may be absent (``O``).
- TRK: mihonapp/mihon ``app/src/main/java/eu/kanade/tachiyomi/data/track/komga/KomgaModels.kt``
  @ a2c24ff, same Json.
- KC: Snd-R/komga-client ``src/commonMain/kotlin/snd/komga/client/**`` @ 597c491, kotlinx
  defaults plus ``ignoreUnknownKeys`` (``KomgaClientFactory.kt``): every key without a default
  must be present, nullable ones included (``N``); enums are strict.
"""

from __future__ import annotations

__all__ = ["KC", "READING_DIRECTIONS", "SERIES_STATUSES", "TABLES"]

# fmt: off
SERIES_STATUSES = "{ENDED|ONGOING|ABANDONED|HIATUS}"
# KomgaReadingDirectionSerializer: decodeString (so never null), blank -> null, else valueOf.
READING_DIRECTIONS = "{LEFT_TO_RIGHT|RIGHT_TO_LEFT|VERTICAL|WEBTOON|}"
MEDIA_STATUSES = "{READY|UNKNOWN|ERROR|UNSUPPORTED|OUTDATED}"

_AUTHOR = {"name": "R str", "role": "R str"}
_EXT_PAGE = {
    k: "R int" for k in ("number", "numberOfElements", "size", "totalElements", "totalPages")
} | {"content": "R [any]", "empty": "R bool", "first": "R bool", "last": "R bool"}

EXT = {
    "Library": {"id": "R str", "name": "R str"},
    "Author": _AUTHOR,
    "PageDto": {"number": "R int", "fileName": "R str", "mediaType": "R str"},
    "Series": {
        "id": "R str", "libraryId": "R str", "name": "R str", "created": "O str",
        "lastModified": "O str", "fileLastModified": "R str", "booksCount": "R int",
        "metadata": "R @SeriesMetadata", "booksMetadata": "R @BooksMetadata",
    },
    "SeriesMetadata": {
        "status": "R str", "created": "O str", "lastModified": "O str", "title": "R str",
        "titleSort": "R str", "summary": "R str", "summaryLock": "R bool",
        "readingDirection": "R str", "readingDirectionLock": "R bool", "publisher": "R str",
        "publisherLock": "R bool", "ageRating": "O int", "ageRatingLock": "R bool",
        "language": "R str", "languageLock": "R bool", "genres": "R [str]",
        "genresLock": "R bool", "tags": "R [str]", "tagsLock": "R bool",
        "totalBookCount": "O int",
    },
    "BooksMetadata": {
        "authors": "D [@Author]", "tags": "D [str]", "releaseDate": "O date",
        "summary": "R str", "summaryNumber": "R str", "created": "R str", "lastModified": "R str",
    },
    "Book": {
        "id": "R str", "seriesId": "R str", "seriesTitle": "R str", "name": "R str",
        "number": "R num", "created": "O datetime", "lastModified": "O str",
        "fileLastModified": "R datetime", "sizeBytes": "R int", "size": "R str",
        "media": "R @Media", "metadata": "R @BookMetadata",
    },
    "Media": {
        "status": "R str", "mediaType": "R str", "pagesCount": "R int",
        "mediaProfile": "D str", "epubDivinaCompatible": "D bool",
    },
    "BookMetadata": {
        "title": "R str", "titleLock": "R bool", "summary": "R str", "summaryLock": "R bool",
        "number": "R str", "numberLock": "R bool", "numberSort": "R num",
        "numberSortLock": "R bool", "releaseDate": "O date", "releaseDateLock": "R bool",
        "authors": "R [@Author]", "authorsLock": "R bool", "tags": "R [str]", "tagsLock": "R bool",
    },
    "Collection": {
        "id": "R str", "name": "R str", "ordered": "R bool", "seriesIds": "R [str]",
        "createdDate": "R str", "lastModifiedDate": "R str", "filtered": "R bool",
    },
    "ReadList": {
        "id": "R str", "name": "R str", "summary": "R str", "bookIds": "R [str]",
        "createdDate": "R str", "lastModifiedDate": "R str", "filtered": "R bool",
    },
    "Page": _EXT_PAGE,
}

_TRK_COUNTS = {
    k: "R int" for k in ("booksCount", "booksReadCount", "booksUnreadCount", "booksInProgressCount")
}
TRK = {
    "Series": {k: v for k, v in EXT["Series"].items()} | _TRK_COUNTS,
    "SeriesMetadata": {k: v for k, v in EXT["SeriesMetadata"].items() if k != "totalBookCount"},
    "BooksMetadata": {k: v for k, v in EXT["BooksMetadata"].items() if k != "tags"},
    "Author": _AUTHOR,
    "ReadList": {k: v for k, v in EXT["ReadList"].items() if k != "summary"},
    "TachiyomiV2": _TRK_COUNTS
    | {"lastReadContinuousNumberSort": "R num", "maxNumberSort": "R num"},
    "TachiyomiV1": _TRK_COUNTS | {"lastReadContinuousIndex": "R int"},
}

# fmt: on


def _locks(*names: str) -> dict[str, str]:
    return {f"{n}Lock": "R bool" for n in names}


# fmt: off
_SORT = {"sorted": "R bool", "unsorted": "R bool", "empty": "R bool"}
KC = {
    "User": {
        "id": "R str", "email": "R str", "roles": "R [str]", "sharedAllLibraries": "R bool",
        "sharedLibrariesIds": "R [str]", "labelsAllow": "R [str]", "labelsExclude": "R [str]",
        "ageRestriction": "N @AgeRestriction",
    },
    "AgeRestriction": {"age": "R int", "restriction": "R {ALLOW_ONLY|EXCLUDE}"},
    "Library": {"id": "R str", "name": "R str", "root": "R str"}
    | {
        k: "R bool"
        for k in (  # noqa: SIM905
            "importComicInfoBook importComicInfoSeries importComicInfoCollection "
            "importComicInfoReadList importComicInfoSeriesAppendVolume importEpubBook "
            "importEpubSeries importMylarSeries importLocalArtwork importBarcodeIsbn "
            "scanForceModifiedTime scanOnStartup scanCbx scanPdf scanEpub repairExtensions "
            "convertToCbz emptyTrashAfterScan hashFiles hashPages hashKoreader "
            "analyzeDimensions unavailable"
        ).split()
    }
    | {
        "scanInterval": "R {DISABLED|HOURLY|EVERY_6H|EVERY_12H|DAILY|WEEKLY}",
        "scanDirectoryExclusions": "R [str]",
        "seriesCover": "R {FIRST|FIRST_UNREAD_OR_FIRST|FIRST_UNREAD_OR_LAST|LAST}",
        "oneshotsDirectory": "N str",
    },
    "Series": {
        "id": "R str", "libraryId": "R str", "name": "R str", "url": "R str",
        "metadata": "R @SeriesMetadata", "deleted": "R bool", "oneshot": "R bool",
        "booksMetadata": "R @BooksMetadata", "created": "R datetime",
        "lastModified": "R datetime", "fileLastModified": "R datetime",
    }
    | _TRK_COUNTS,
    "SeriesMetadata": {
        "status": "R " + SERIES_STATUSES, "title": "R str",
        "alternateTitles": "R [@AlternateTitle]", "titleSort": "R str", "summary": "R str",
        "readingDirection": "R " + READING_DIRECTIONS, "publisher": "R str",
        "ageRating": "N int", "language": "R str", "genres": "R [str]", "tags": "R [str]",
        "totalBookCount": "N int", "sharingLabels": "R [str]", "links": "R [@WebLink]",
    }
    | _locks(
        "status", "alternateTitles", "title", "titleSort", "summary", "readingDirection",
        "publisher", "ageRating", "language", "genres", "tags", "totalBookCount",
        "sharingLabels", "links",
    ),
    "AlternateTitle": {"label": "R str", "title": "R str"},
    "WebLink": {"label": "R str", "url": "R str"},
    "Author": _AUTHOR,
    "BooksMetadata": {
        "authors": "R [@Author]", "tags": "R [str]", "releaseDate": "N date", "summary": "R str",
        "summaryNumber": "R str", "created": "R datetime", "lastModified": "R datetime",
    },
    "Book": {
        "id": "R str", "seriesId": "R str", "seriesTitle": "R str", "libraryId": "R str",
        "name": "R str", "url": "R str", "number": "R int", "created": "R datetime",
        "lastModified": "R datetime", "fileLastModified": "R datetime", "sizeBytes": "R int",
        "size": "R str", "media": "R @Media", "metadata": "R @BookMetadata",
        "readProgress": "N @ReadProgress", "deleted": "R bool", "fileHash": "R str",
        "oneshot": "R bool",
    },
    # mediaProfile is declared nullable, but MediaProfileSerializer calls decodeString(), which
    # cannot read a JSON null: unknown text is tolerated, null is not.
    "Media": {
        "status": "R " + MEDIA_STATUSES, "mediaType": "N str", "pagesCount": "R int",
        "comment": "R str", "epubDivinaCompatible": "R bool", "epubIsKepub": "R bool",
        "mediaProfile": "R str",
    },
    "BookMetadata": {
        "title": "R str", "summary": "R str", "number": "R str", "numberSort": "R num",
        "releaseDate": "N date", "authors": "R [@Author]", "tags": "R [str]", "isbn": "R str",
        "links": "R [@WebLink]", "created": "R datetime", "lastModified": "R datetime",
    }
    | _locks(
        "title", "summary", "number", "numberSort", "releaseDate", "authors", "tags", "isbn",
        "links",
    ),
    "ReadProgress": {
        "page": "R int", "completed": "R bool", "readDate": "R datetime", "deviceId": "R str",
        "deviceName": "R str", "created": "R datetime", "lastModified": "R datetime",
    },
    "PageDto": {
        "number": "R int", "fileName": "R str", "mediaType": "R str", "width": "N int",
        "height": "N int", "sizeBytes": "N int", "size": "R str",
    },
    "ReadList": {
        "id": "R str", "name": "R str", "summary": "R str", "ordered": "R bool",
        "bookIds": "R [str]", "createdDate": "R datetime", "lastModifiedDate": "R datetime",
        "filtered": "R bool",
    },
    "Collection": {
        "id": "R str", "name": "R str", "ordered": "R bool", "seriesIds": "R [str]",
        "createdDate": "R datetime", "lastModifiedDate": "R datetime", "filtered": "R bool",
    },
    "Sort": _SORT,
    "Pageable": {
        "sort": "R @Sort", "pageNumber": "R int", "pageSize": "R int", "offset": "R int",
        "paged": "R bool", "unpaged": "R bool",
    },
    "Page": {
        "content": "R [any]", "pageable": "R @Pageable", "totalElements": "R int",
        "totalPages": "R int", "last": "R bool", "number": "R int", "sort": "R @Sort",
        "first": "R bool", "numberOfElements": "R int", "size": "R int", "empty": "R bool",
    },
}
# fmt: on

TABLES = {"EXT": EXT, "TRK": TRK, "KC": KC}
