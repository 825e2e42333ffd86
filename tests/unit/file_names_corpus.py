"""Real-world comic file-name shapes and what ``parse_file_name`` reads from each.

One row per shape; a field left out of the expected ``NameParts`` is one the name must not
give. Grouped by the rule each row exercises, so a failure points at the rule that broke.
"""

from __future__ import annotations

from bagboard.domain.filenames import NameParts as P

__all__ = ["CORPUS"]

CORPUS: list[tuple[str, P]] = [
    # --- the common scene shape: volume, issue, year, tags ------------------------------------
    (
        "Series v2 #001 (2012) (Digital) (Group).cbz",
        P(series="Series", volume="2", number="1", year="2012"),
    ),
    (
        "Series 1 (2019) (digital) (Minutemen-Slayer).cbr",
        P(series="Series", number="1", year="2019"),
    ),
    (
        "Series #001 (2012) (Webrip) (The Last Kryptonian-DCP).cbr",
        P(series="Series", number="1", year="2012"),
    ),
    ("Saga 054 (c2c).cbz", P(series="Saga", number="54")),
    ("Series 001 {Group}.cbz", P(series="Series", number="1")),
    ("[Group] Series 001.cbz", P(series="Series", number="1")),
    ("Series 001 (Digital)(Zone-Empire).cbz", P(series="Series", number="1")),
    ("The Walking Dead 100 (2012).cbz", P(series="The Walking Dead", number="100", year="2012")),
    ("Sandman v1 015 (1990).cbz", P(series="Sandman", volume="1", number="15", year="1990")),
    ("BATMAN   001   (2011).CBZ", P(series="BATMAN", number="1", year="2011")),
    ("Batman 404.cbz", P(series="Batman", number="404")),
    # --- years: in brackets, first one wins; dates; a year after another number ---------------
    ("X-Men (1991) 001.cbz", P(series="X-Men", year="1991", number="1")),
    ("Batman (2016) #012 (2017).cbz", P(series="Batman", number="12", year="2016")),
    ("Series [2012] 001.cbz", P(series="Series", number="1", year="2012")),
    ("Series (2012) (2013) 001.cbz", P(series="Series", number="1", year="2012")),
    ("Series 001 (May 2012).cbz", P(series="Series", number="1", year="2012")),
    ("Series 001 (2012-05).cbz", P(series="Series", number="1", year="2012")),
    ("Series 001 (2012-2013).cbz", P(series="Series", number="1", year="2012")),
    ("Series 001 (1850).cbz", P(series="Series", number="1")),
    ("Series #1 2012.cbz", P(series="Series", number="1", year="2012")),
    ("Series 001 2012 (2011).cbz", P(series="Series", number="1", year="2011")),
    ("Batman 1989.cbz", P(series="Batman", number="1989")),
    # --- counts ---------------------------------------------------------------------------------
    ("Series 001 (of 12).cbz", P(series="Series", number="1", count="12")),
    ("Series 01 of 12.cbz", P(series="Series", number="1", count="12")),
    ("Series 001 (1 of 3).cbz", P(series="Series", number="1", count="3")),
    ("Series #1 (of 4) (2012).cbz", P(series="Series", number="1", year="2012", count="4")),
    (
        "Marvel Zombies 05 (of 05) - Title (2012) (Digital).cbz",
        P(series="Marvel Zombies", number="5", count="5", title="Title", year="2012"),
    ),
    # --- titles after the number ----------------------------------------------------------------
    ("Series - 001 - Title.cbz", P(series="Series", number="1", title="Title")),
    (
        "Series #3 - The Title (2019).cbr",
        P(series="Series", number="3", title="The Title", year="2019"),
    ),
    ("Series 001 (2012) - Title.cbz", P(series="Series", number="1", year="2012", title="Title")),
    ("Series 1 - Title Part 2.cbz", P(series="Series", number="1", title="Title Part 2")),
    ("Series 001 \u2013 Title.cbz", P(series="Series", number="1", title="Title")),
    ("Series - 001 -.cbz", P(series="Series", number="1")),
    (
        "Astérix 01 - Astérix le Gaulois.cbz",
        P(series="Astérix", number="1", title="Astérix le Gaulois"),
    ),
    ("01 Title.cbz", P(number="1", title="Title")),
    # --- numbers that belong to the series name -------------------------------------------------
    ("2000 AD 1234.cbz", P(series="2000 AD", number="1234")),
    ("2000 AD.cbz", P(series="2000 AD")),
    ("Spider-Man 2099 001.cbz", P(series="Spider-Man 2099", number="1")),
    ("Fantastic Four 1602 01.cbz", P(series="Fantastic Four 1602", number="1")),
    ("100 Bullets 001.cbz", P(series="100 Bullets", number="1")),
    ("100 Bullets.cbz", P(series="100 Bullets")),
    ("Y - The Last Man 001.cbz", P(series="Y - The Last Man", number="1")),
    ("Agents of S.H.I.E.L.D. 001.cbz", P(series="Agents of S.H.I.E.L.D.", number="1")),
    # --- words that look like markers but are not -------------------------------------------
    ("Tomb Raider 001.cbz", P(series="Tomb Raider", number="1")),
    ("Vampirella 001.cbz", P(series="Vampirella", number="1")),
    ("V for Vendetta 01.cbz", P(series="V for Vendetta", number="1")),
    ("No Man's Land 001.cbz", P(series="No Man's Land", number="1")),
    ("Series c2c.cbz", P(series="Series c2c")),
    ("Series 001a.cbz", P(series="Series 001a")),
    # --- annuals and specials named by year -----------------------------------------------------
    ("Series Annual 2021.cbz", P(series="Series Annual", year="2021")),
    ("Series Annual 03.cbz", P(series="Series Annual", number="3")),
    ("Series Annual 2021 001.cbz", P(series="Series Annual", year="2021", number="1")),
    ("Series Annual 2021 - Title.cbz", P(series="Series Annual", year="2021", title="Title")),
    ("Series Special 2019.cbz", P(series="Series Special", year="2019")),
    # --- decimal, negative, fractional and suffixed issue numbers -------------------------------
    ("Series 001.5.cbz", P(series="Series", number="1.5")),
    ("Series.001.5.cbz", P(series="Series", number="1.5")),
    ("Series #1.MU.cbz", P(series="Series", number="1.MU")),
    ("Series #0.1.cbz", P(series="Series", number="0.1")),
    ("Series #1AU.cbz", P(series="Series", number="1AU")),
    ("Series #001a.cbz", P(series="Series", number="1a")),
    ("Series #½.cbz", P(series="Series", number="½")),
    ("Series #1/2.cbz", P(series="Series", number="1/2")),
    ("Series #-1.cbz", P(series="Series", number="-1")),
    ("Series #-001.cbz", P(series="Series", number="-1")),
    ("X-Men -1 (1997).cbz", P(series="X-Men", number="-1", year="1997")),
    ("Series 000.cbz", P(series="Series", number="0")),
    ("Series #1 #2.cbz", P(series="Series", number="1")),
    # --- issue keywords -------------------------------------------------------------------------
    ("001.cbz", P(number="1")),
    ("#1.cbz", P(number="1")),
    ("Issue 12.cbz", P(number="12")),
    ("Series No. 5.cbz", P(series="Series", number="5")),
    ("Series Issue #5.cbz", P(series="Series", number="5")),
    ("Series Volume 2 Issue 5.cbz", P(series="Series", volume="2", number="5")),
    # --- volumes --------------------------------------------------------------------------------
    ("Series v1 001.cbz", P(series="Series", volume="1", number="1")),
    ("Series Vol 2 005.cbz", P(series="Series", volume="2", number="5")),
    ("Series v. 2 001.cbz", P(series="Series", volume="2", number="1")),
    ("Series v2012 001.cbz", P(series="Series", volume="2012", number="1")),
    ("Series - Book 03.cbz", P(series="Series", volume="3")),
    ("Series.v2.cbz", P(series="Series", volume="2")),
    (
        "Astérix Tome 01 - Astérix le Gaulois.cbz",
        P(series="Astérix", volume="1", title="Astérix le Gaulois"),
    ),
    # --- manga: volumes and chapters ------------------------------------------------------------
    ("Berserk Vol. 03 Ch. 021.cbz", P(series="Berserk", volume="3", number="21")),
    ("Vol. 03 Ch. 021.cbz", P(volume="3", number="21")),
    ("One Piece v01.cbz", P(series="One Piece", volume="1")),
    ("One Piece v01 - Romance Dawn.cbz", P(series="One Piece", volume="1", title="Romance Dawn")),
    ("Shingeki no Kyojin v01.cbz", P(series="Shingeki no Kyojin", volume="1")),
    ("Chainsaw Man - c001 (v01) [Group].cbz", P(series="Chainsaw Man", number="1", volume="1")),
    ("Series Chapter 12.cbz", P(series="Series", number="12")),
    ("Series ch12.5.cbz", P(series="Series", number="12.5")),
    ("Series Ch.005 v2.cbz", P(series="Series", number="5", volume="2")),
    ("SERIES VOL 2 CH 10.CBZ", P(series="SERIES", volume="2", number="10")),
    ("One Piece - Chapter 1000.cbz", P(series="One Piece", number="1000")),
    (
        "Series - Vol. 01 Ch. 001 - Title.cbz",
        P(series="Series", volume="1", number="1", title="Title"),
    ),
    # --- separators -----------------------------------------------------------------------------
    ("Saga_001_(2012).cbz", P(series="Saga", number="1", year="2012")),
    ("Saga.001.2012.cbz", P(series="Saga", number="1", year="2012")),
    ("Series.Name.v01.c001.cbz", P(series="Series Name", volume="1", number="1")),
    ("--- 001 ---.cbz", P(number="1")),
    # --- no number at all: the whole name is the series -----------------------------------------
    (
        "Hellboy - Seed of Destruction TPB (1994).cbz",
        P(series="Hellboy - Seed of Destruction TPB", year="1994"),
    ),
    ("Series #.cbz", P(series="Series")),
    ("Series (.cbz", P(series="Series")),
    ("Series ٣.cbz", P(series="Series ٣")),
    (".cbz", P()),
    ("", P()),
    # --- extensions -----------------------------------------------------------------------------
    ("Series 001.5", P(series="Series", number="1.5")),
    ("Series 001.txt", P(series="Series", number="1")),
    ("Series 001.CB7", P(series="Series", number="1")),
    ("Series 001.7z", P(series="Series", number="1")),
    ("Series 001.tar", P(series="Series", number="1")),
    ("Series.epub", P(series="Series")),
    ("Mr. Miracle 001", P(series="Mr. Miracle", number="1")),
]
