"""Reading lists in a real browser against a real ``bagboard serve``: a reader opens *Reading
lists* from the navigation, imports a CBL file through the form, reads the report and opens
the list, whose comics are cards and whose missing book is a line, in list order; the page
fits a phone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.readlist_support import cbl
from tests.system.test_web_browser import browser, shoot, sign_in, site, wait

__all__ = ["browser", "site"]  # the fixtures, shared with the other browser tests


def heading(driver: WebDriver) -> str:
    return str(driver.find_element(By.TAG_NAME, "h1").text)


def test_a_reader_imports_a_cbl_file_and_opens_the_list(
    site: dict[str, Any], browser: WebDriver, tmp_path: Path
) -> None:
    url = site["url"]
    books = [
        ("Night Owls", "2", "", "2001"),
        ("Moon Harbour", "5", "", "1998"),
        ("Night Owls", "3", "", "2001"),
    ]
    path = tmp_path / "Owl Watch.cbl"
    path.write_bytes(cbl("Owl Watch", books, summary="A night of owls"))

    sign_in(browser, url, "bob")
    browser.find_element(By.LINK_TEXT, "Reading lists").click()
    wait(browser, lambda d: heading(d) == "Reading lists")
    assert not browser.find_elements(By.NAME, "shared")  # sharing is for owners
    browser.find_element(By.ID, "list-file").send_keys(str(path))
    browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]").click()
    wait(browser, lambda d: heading(d) == "Imported Owl Watch")
    status = browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert "3 books: 2 matched, 0 ambiguous, 1 missing" in status
    missing = browser.find_elements(By.CSS_SELECTOR, "ul.report.missing li")
    assert [item.text for item in missing] == ["Moon Harbour #5 (1998)"]

    browser.find_element(By.LINK_TEXT, "Open the list").click()
    wait(browser, lambda d: heading(d) == "Owl Watch")
    entries = browser.find_elements(By.CSS_SELECTOR, ".entries .card .title, .missing li")
    assert [entry.text for entry in entries] == [
        "Night Owls #2",
        "Moon Harbour #5 (1998) — not in your library",
        "Night Owls #3",
    ]
    assert "Continue: Night Owls #2" in browser.find_element(By.CSS_SELECTOR, ".actions").text
    shoot(browser, "web-reading-list")

    browser.get(url + "/lists")
    wait(browser, lambda d: heading(d) == "Reading lists")
    tile = browser.find_element(By.CSS_SELECTOR, ".lists .tile")
    assert "Owl Watch" in tile.text and "2 of 3 comics" in tile.text

    list_path = urlsplit(tile.find_element(By.TAG_NAME, "a").get_attribute("href")).path
    browser.set_window_size(390, 844)
    for address in ("/lists", list_path):
        browser.get(url + address)
        wait(browser, lambda d: d.execute_script("return document.readyState") == "complete")
        wide = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert wide[0] <= wide[1], (address, wide)
