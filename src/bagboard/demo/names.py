"""Made-up publishers, series, people, titles and summaries, drawn from a seeded generator."""

from __future__ import annotations

import random

from bagboard.demo.model import Series

__all__ = ["issue_summary", "issue_title", "new_series", "publisher_names"]

_PUBLISHERS = (
    "Northwind Comics", "Lantern Press", "Red Kite Studios", "Éditions du Phare",
    "Ironclad Publishing", "Blue Heron Books", "Paper Moon Comics", "Kitsune Shuppan",
    "Atlas Forge", "Stormfront Comics", "Gilded Age Press", "Hollow Oak", "Meridian Comics",
    "Bright Harbor", "Cobalt Ink", "Thunder Road Comics", "Marble Arch Press", "Quiet Fox Studios",
    "Skyline Comics", "Greywater Press", "Nova Comics", "Seventh Wave", "Wild Card Comics",
)  # fmt: skip
# Oddities every library meets sooner or later: accents, macrons, CJK, an apostrophe, # and &.
_ODD_SERIES = (
    ("Astérix le Gaulois", "fr"),
    ("Ōkami", "ja"),
    ("Ash & Ember - Case #9", "en"),
    ("東京ナイト", "ja"),
    ("L'Épée d'Ébène", "fr"),
)
_ADJECTIVES = (
    "Crimson", "Iron", "Midnight", "Silver", "Savage", "Hidden", "Electric", "Broken", "Golden",
    "Wandering", "Atomic", "Shadow", "Frozen", "Burning", "Lost", "Last", "Wild", "Cosmic",
    "Hollow", "Scarlet", "Quiet", "Rogue", "Ancient", "Neon", "Black", "Emerald", "Steel", "Velvet",
)  # fmt: skip
_NOUNS = (
    "Harbor", "Circus", "Rangers", "Knight", "Tide", "Empire", "Witch", "Signal", "Frontier",
    "Legion", "Garden", "Detective", "Comet", "Wolves", "Orchard", "Engine", "Kingdom", "Saints",
    "Archive", "Horizon", "Sentinel", "Lighthouse", "Patrol", "Dynasty", "Mariner", "Specter",
)  # fmt: skip
_TAILS = ("", "", "", " Chronicles", " Tales", " Squad", " Adventures", " Inc.", " Quarterly")
_FIRST = (
    "Ann", "Marco", "Yuki", "Sam", "Priya", "Tomás", "Lena", "Jules", "Hana", "Oskar", "Mei",
    "Rafael", "Ines", "Kwame", "Zoë", "Dmitri", "Nora", "Ade", "Chloé", "Ivo", "Sofia", "Theo",
)  # fmt: skip
_LAST = (
    "Okafor", "Lindqvist", "Moreau", "Tanaka", "Reyes", "Novak", "Brennan", "Castillo",
    "Haddad", "Kowalski", "Ishikawa", "Duarte", "Fischer", "Nakamura", "O'Neill", "Varga", "Sato",
)  # fmt: skip
_HEROES = (
    "Captain Vega", "The Warden", "Nightjar", "Iris Kane", "Doctor Halcyon", "Moth", "Red Rook",
    "Juno Park", "The Tinker", "Lady Cinder", "Brick", "Professor Gale", "Kestrel", "Orla Fenn",
    "Mister Null", "Tess Marlowe", "Ghostlight", "Bruno the Bear", "Salt", "Agent Nine",
)  # fmt: skip
_GENRES = (
    "Superhero", "Science Fiction", "Fantasy", "Horror", "Crime", "Comedy", "Adventure", "Drama",
    "Western", "Romance", "Mystery", "Slice of Life", "War", "Noir",
)  # fmt: skip
_PLOTS = (  # (one hero, several)
    ("races against time to stop", "race against time to stop"),
    ("uncovers the truth behind", "uncover the truth behind"),
    ("must survive", "must survive"),
    ("goes undercover inside", "go undercover inside"),
    ("is hunted by", "are hunted by"),
    ("makes a deal with", "make a deal with"),
)
_THREATS = (
    "the Clockwork Syndicate", "a storm that never ends", "the sunken city", "an old friend",
    "the Hollow King", "a stolen map", "the last train north", "a city without shadows",
)  # fmt: skip
_TITLE_WORDS = (
    "Fire", "Glass", "Ghosts", "Rain", "Teeth", "Silence", "Keys", "Bones", "Wires", "Thunder",
    "Dust", "Mirrors", "Ashes", "Echoes", "Knives", "Stars", "Ice", "Lies", "Wolves", "Salt",
)  # fmt: skip


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def publisher_names(rng: random.Random, count: int) -> list[str]:
    chosen = rng.sample(_PUBLISHERS, min(count, len(_PUBLISHERS)))
    return chosen + [f"Small Press {n}" for n in range(1, count - len(chosen) + 1)]


def new_series(rng: random.Random, index: int, taken: set[str]) -> Series:
    # The oddities come early, so even a small demo library shows them.
    if 1 <= index <= len(_ODD_SERIES):
        name, language = _ODD_SERIES[index - 1]
    else:
        language = "en"
        name = f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}{rng.choice(_TAILS)}"
        if rng.random() < 0.15:
            name = f"The {name}"
    base, suffix = name, 1
    while name in taken:
        suffix += 1
        name = f"{base} {suffix}"
    taken.add(name)
    cast = rng.sample(_HEROES, rng.randint(1, 4))
    genres = rng.sample(_GENRES, rng.randint(1, 2))
    return Series(name, _person(rng), _person(rng), ", ".join(genres), ", ".join(cast), language)


def issue_title(rng: random.Random) -> str:
    first, second = rng.sample(_TITLE_WORDS, 2)
    return rng.choice((f"{first} and {second}", f"A Night of {first}", f"The {first} Job", first))


def issue_summary(rng: random.Random, characters: str) -> str:
    cast = characters.split(", ")[:2]
    one, several = rng.choice(_PLOTS)
    verb = one if len(cast) == 1 else several
    return f"{' and '.join(cast)} {verb} {rng.choice(_THREATS)}."
