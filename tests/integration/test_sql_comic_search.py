"""The loose ``LIKE`` the SQL search filters comics in no series with: it must find every
text that Python's ``lower()`` makes match, on every SQL backend."""

from __future__ import annotations

import sys

from sqlalchemy import Column, Engine, MetaData, Table, Text, func, not_, select

from bagboard.adapters.storage.browse.comic_search import loose_pattern

# Every character that lower() changes, and printable ASCII: the ones folding can touch.
CHARACTERS = [
    chr(cp)
    for cp in range(sys.maxunicode + 1)
    if not 0xD800 <= cp <= 0xDFFF and (chr(cp).lower() != chr(cp) or 0x20 <= cp < 0x7F)
]


def test_the_loose_pattern_finds_every_folded_text(sql_engine: Engine) -> None:
    table = Table("loose_like", MetaData(), Column("text", Text), Column("pattern", Text))
    rows: list[dict[str, str]] = []
    for char in CHARACTERS:
        text = f"x{char}Y"
        lowered = text.lower()
        # Every query that finds the text by the exact rule: each substring of its lower().
        queries = {
            lowered[i:j] for i in range(len(lowered)) for j in range(i + 1, len(lowered) + 1)
        }
        rows.extend({"text": text, "pattern": loose_pattern(query)} for query in queries)
    with sql_engine.begin() as conn:
        table.create(conn)
        try:
            conn.execute(table.insert(), rows)
            matches = (
                table.c.text.ilike(table.c.pattern, escape="\\")
                if conn.dialect.name == "postgresql"
                else table.c.text.like(table.c.pattern, escape="\\")
            )
            missed = conn.execute(select(table.c.text).where(not_(matches))).scalars().all()
            total = conn.execute(select(func.count()).select_from(table)).scalar()
        finally:
            table.drop(conn)
    assert (missed, total) == ([], len(rows))


def test_the_loose_pattern_takes_wildcards_literally() -> None:
    assert loose_pattern("100%_\\") == "%100\\%\\_\\\\%"
    assert loose_pattern("kid été") == "%_%d %t%%"
