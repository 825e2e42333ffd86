"""ComicInfo read back from a store: taken as stored, its pages decoded only when read."""

from __future__ import annotations

import pickle
from dataclasses import fields

from bagboard.domain.comicinfo import STRING_FIELDS, ComicInfo, ComicPageInfo, DeferredPages

PAGES = (ComicPageInfo(0, type="FrontCover"), ComicPageInfo(1, double_page=True))


def test_string_fields_are_every_text_field_of_the_model() -> None:
    # __post_init__ cleans exactly these: a new text field must be added to the list.
    text = tuple(field.name for field in fields(ComicInfo) if field.type == "str")
    assert text == STRING_FIELDS


def test_pages_are_decoded_on_first_use_and_once() -> None:
    calls: list[int] = []

    def decode() -> tuple[ComicPageInfo, ...]:
        calls.append(1)
        return PAGES

    pages = DeferredPages(decode)
    info = ComicInfo.stored([""] * len(STRING_FIELDS), page_count=2, pages=pages)
    assert calls == []
    assert info.front_cover_index == 0
    assert len(info.pages) == 2 and list(info.pages) == list(PAGES) and info.pages[1] == PAGES[1]
    assert calls == [1]


def test_a_stored_comicinfo_equals_the_one_written() -> None:
    written = ComicInfo(series="Saga", number="1", summary="War & love", pages=PAGES)
    texts = [getattr(written, name) for name in STRING_FIELDS]
    stored = ComicInfo.stored(texts, page_count=None, pages=DeferredPages(lambda: PAGES))
    assert stored == written and written == stored
    assert hash(stored) == hash(written)
    assert stored != ComicInfo(series="Saga", number="1", summary="War & love")
    assert ComicInfo.stored(texts, None, ()) != written
    assert not stored.is_empty
    # Sent to another process, the pages travel as the plain tuple.
    assert pickle.loads(pickle.dumps(stored)) == written


def test_new_input_is_still_cleaned() -> None:
    info = ComicInfo(series="  Saga \n", publisher="x" * 500, pages=[ComicPageInfo(0)])
    assert info.series == "Saga" and len(info.publisher) == 200
    assert info.pages == (ComicPageInfo(0),) and isinstance(info.pages, tuple)
