"""The web app in a real browser (Debian's Chromium, driven by Selenium) against a real
``bagboard serve``: signing in, browsing to a series, reading with the keyboard and clicks,
resuming after a reload, the saved position seen through ``/api/v1``, and a phone-wide window.

With ``BAGBOARD_SCREENSHOTS=1`` the tests also save the screenshots of docs/images/.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image, ImageDraw
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.archive_factory import comicinfo_xml, write_cbz
from tests.system.conftest import bagboard, serving
from tests.system.test_sign_in import PASSWORD, set_password

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"
PAGES = 6


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    base = tmp_path_factory.mktemp("web-browser")
    comics, data_dir = base / "comics", base / "data"
    for n in (1, 2, 3):
        folder = comics / "Orbit" / "Night Owls"
        folder.mkdir(parents=True, exist_ok=True)
        info = {"Publisher": "Orbit", "Series": "Night Owls", "Number": str(n), "Year": "2001"}
        members = {f"p{page:02}.jpg": page_image(n, page) for page in range(1, PAGES + 1)}
        write_cbz(
            folder / f"Night Owls {n:02}.cbz", members | {"ComicInfo.xml": comicinfo_xml(info)}
        )
    manga = comics / "Kodo" / "Paper Moon"
    manga.mkdir(parents=True)
    info = {
        "Publisher": "Kodo",
        "Series": "Paper Moon",
        "Number": "1",
        "Manga": "YesAndRightToLeft",
    }
    members = {f"p{page:02}.jpg": page_image(4, page) for page in range(1, PAGES + 1)}
    write_cbz(manga / "Paper Moon 01.cbz", members | {"ComicInfo.xml": comicinfo_xml(info)})
    bagboard("library", "add", str(comics), data_dir=data_dir)
    bagboard("scan", data_dir=data_dir)
    bagboard("user", "add", "alice", "--role", "owner", data_dir=data_dir)
    assert set_password("alice", PASSWORD, data_dir).returncode == 0
    bagboard("user", "add", "bob", "--role", "reader", data_dir=data_dir)
    assert set_password("bob", PASSWORD, data_dir).returncode == 0
    token = bagboard("token", "create", "--user", "alice", data_dir=data_dir).stdout.strip()
    with serving("--no-watch", data_dir=data_dir, log=base / "serve.log", ready="/about") as url:
        yield {"url": url, "token": token, "comics": comics.resolve()}


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--disable-gpu"):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver: WebDriver, condition: Any, timeout: float = 15) -> Any:
    # A page that navigates while the condition reads it leaves stale or missing elements:
    # ask again, as a reader's eyes would, until the condition holds or time runs out.
    ignored = (StaleElementReferenceException, NoSuchElementException)
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(condition)


def shoot(driver: WebDriver, name: str) -> None:
    if os.environ.get("BAGBOARD_SCREENSHOTS") == "1":
        loaded = (
            "return [...document.images].every((i) => !i.src || (i.complete && i.naturalWidth))"
        )
        wait(driver, lambda d: d.execute_script(loaded))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def page_image(n: int, page: int) -> bytes:
    """A page with something on it: a band of colour and its own label."""
    picture = Image.new("RGB", (600, 900), (245, 240, 230))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, 600, 260), fill=(60 * n % 255, 90, 160 - 20 * page))
    draw.ellipse((180, 380, 420, 620), fill=(40 + 30 * page, 60 * n % 255, 90))
    draw.text((40, 300), f"Night Owls #{n}, page {page}", fill=(20, 20, 20))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def sign_in(driver: WebDriver, url: str, name: str = "alice") -> None:
    driver.get(url + "/")
    wait(driver, lambda d: "/login" in d.current_url)
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
    wait(driver, lambda d: d.find_elements(By.ID, "keep-reading"))


def swipe(driver: WebDriver, start: int, end: int, y: int = 400) -> None:
    """A one-finger horizontal swipe, as a touch screen reports it."""
    for kind, x in (("touchStart", start), ("touchMove", (start + end) // 2), ("touchMove", end)):
        driver.execute_cdp_cmd(  # type: ignore[attr-defined]
            "Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]}
        )
    driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []}
    )


def reader_page(driver: WebDriver) -> str:
    return str(driver.find_element(By.ID, "reader").get_attribute("data-page"))


def page_is(number: int) -> Any:
    return lambda d: reader_page(d) == str(number)


def saved_is(number: int) -> Any:
    return lambda d: d.find_element(By.ID, "reader").get_attribute("data-saved") == str(number)


def test_sign_in_browse_read_and_resume(site: dict[str, Any], browser: WebDriver) -> None:
    url = site["url"]
    sign_in(browser, url)
    browser.find_element(By.LINK_TEXT, "Browse").click()
    wait(browser, lambda d: d.find_elements(By.PARTIAL_LINK_TEXT, "Orbit"))
    browser.find_element(By.PARTIAL_LINK_TEXT, "Orbit").click()
    wait(browser, lambda d: d.find_elements(By.PARTIAL_LINK_TEXT, "Night Owls"))
    browser.find_element(By.PARTIAL_LINK_TEXT, "Night Owls").click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".grid .card"))
    cards = browser.find_elements(By.CSS_SELECTOR, ".grid .card .title")
    assert [card.text for card in cards] == ["Night Owls #1", "Night Owls #2", "Night Owls #3"]
    shoot(browser, "web-series")

    browser.find_element(By.PARTIAL_LINK_TEXT, "Night Owls #2").click()
    wait(browser, lambda d: d.find_elements(By.LINK_TEXT, "Read"))
    issue_url = browser.current_url
    browser.find_element(By.LINK_TEXT, "Read").click()
    wait(browser, page_is(1))
    stage = browser.find_element(By.ID, "stage")

    stage.send_keys(Keys.ARROW_RIGHT)
    wait(browser, page_is(2))
    stage.send_keys(Keys.SPACE)
    wait(browser, page_is(3))
    # A click in the right third turns forward, in the left third back.
    width = stage.size["width"]
    webdriver.ActionChains(browser).move_to_element_with_offset(
        stage, width // 3, 0
    ).click().perform()
    wait(browser, page_is(4))
    webdriver.ActionChains(browser).move_to_element_with_offset(
        stage, -width // 3, 0
    ).click().perform()
    wait(browser, page_is(3))
    wait(browser, saved_is(3))
    image = browser.find_element(By.ID, "left")
    wait(
        browser,
        lambda d: (
            image.get_attribute("complete") and int(image.get_attribute("naturalWidth") or 0) > 0
        ),
    )
    assert image.get_attribute("src").endswith("/page/3")
    shoot(browser, "web-reader")

    browser.refresh()
    wait(browser, page_is(3))

    comic_id = issue_url.rstrip("/").rsplit("/", 1)[1]
    bearer = {"Authorization": f"Bearer {site['token']}"}
    path = str(site["comics"] / "Orbit" / "Night Owls" / "Night Owls 02.cbz")
    stored = httpx.get(url + "/api/v1/progress", params={"path": path}, headers=bearer)
    assert stored.status_code == 200 and stored.json()["page_number"] == 3
    browser.get(url + "/")
    keep = browser.find_elements(By.CSS_SELECTOR, "#keep-reading ~ .grid progress")
    assert [bar.get_attribute("value") for bar in keep] == ["50"]  # page 3 of 6
    shoot(browser, "web-home")
    browser.back()
    wait(browser, page_is(3))

    # End goes to the last page, which marks the comic read.
    browser.find_element(By.ID, "stage").send_keys(Keys.END)
    wait(browser, page_is(PAGES))
    wait(browser, saved_is(PAGES))
    detail = httpx.get(f"{url}/api/v1/issue/{comic_id}", headers=bearer).json()
    assert detail["is_read"] is True and detail["progress"]["page_number"] == PAGES


def test_a_phone_wide_window_never_scrolls_sideways(
    site: dict[str, Any], browser: WebDriver
) -> None:
    url = site["url"]
    browser.set_window_size(390, 844)
    sign_in(browser, url)
    browser.get(url + "/browse/issues?mode=metadata&publisher=Orbit&series=Night+Owls")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".grid .card"))
    issue = browser.find_element(By.CSS_SELECTOR, ".grid .card a").get_attribute("href")
    for address in (
        "/",
        "/browse",
        "/browse/issues?mode=metadata&publisher=Orbit&series=Night+Owls",
        issue,
        issue.replace("/issue/", "/read/"),
    ):
        browser.get(address if address.startswith("http") else url + address)
        wait(browser, lambda d: d.execute_script("return document.readyState") == "complete")
        wide = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert wide[0] <= wide[1], (address, wide)
    # On the phone, a swipe-sized tap on the right still turns the page.
    wait(browser, page_is(1))
    stage = browser.find_element(By.ID, "stage")
    webdriver.ActionChains(browser).move_to_element_with_offset(
        stage, stage.size["width"] // 3, 0
    ).click().perform()
    wait(browser, page_is(2))
    # A swipe to the left turns forward, to the right back.
    swipe(browser, 300, 80)
    wait(browser, page_is(3))
    swipe(browser, 80, 300)
    wait(browser, page_is(2))


def test_manga_reads_right_to_left_and_in_spreads(site: dict[str, Any], browser: WebDriver) -> None:
    url = site["url"]
    sign_in(browser, url)
    browser.get(url + "/browse/issues?mode=metadata&publisher=Kodo&series=Paper+Moon")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Paper Moon #1").click()
    wait(browser, lambda d: d.find_elements(By.LINK_TEXT, "Read"))
    browser.find_element(By.LINK_TEXT, "Read").click()
    wait(browser, page_is(1))
    reader = browser.find_element(By.ID, "reader")
    assert reader.get_attribute("data-dir") == "rtl"
    assert browser.find_element(By.ID, "rtl").is_selected()
    stage = browser.find_element(By.ID, "stage")
    # Right to left: the left arrow and the left third go forward.
    stage.send_keys(Keys.ARROW_LEFT)
    wait(browser, page_is(2))
    width = stage.size["width"]
    webdriver.ActionChains(browser).move_to_element_with_offset(
        stage, -width // 3, 0
    ).click().perform()
    wait(browser, page_is(3))
    # Two pages at a time: the cover alone, then pairs (2-3, 4-5).
    Select(browser.find_element(By.ID, "spread")).select_by_value("double")
    wait(browser, page_is(2))
    assert browser.find_element(By.ID, "right").is_displayed()
    assert browser.find_element(By.ID, "count").text == "2\u20133 / 6"  # an en dash
    stage.send_keys(Keys.ARROW_LEFT)
    wait(browser, page_is(4))
    # The toggle turns the direction around.
    browser.find_element(By.ID, "rtl").click()
    assert reader.get_attribute("data-dir") == "ltr"
    stage.send_keys(Keys.ARROW_RIGHT)
    wait(browser, page_is(6))
    # Escape closes the reader, back to the comic's page.
    stage.send_keys(Keys.ESCAPE)
    wait(browser, lambda d: d.find_elements(By.LINK_TEXT, "Download"))


def test_the_first_run_link_sets_the_owner_password(tmp_path: Path, browser: WebDriver) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "serve.log"
    with serving(data_dir=data_dir, log=log, ready="/about") as url:
        links = re.findall(r"http://\S+/setup/(\S+)", log.read_text())
        assert len(links) == 1
        browser.get(f"{url}/setup/{links[0]}")
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        browser.find_element(By.ID, "confirm").send_keys(PASSWORD + Keys.ENTER)
        wait(browser, lambda d: d.find_elements(By.ID, "keep-reading"))
        # Signed in; signing out and in again takes the new password.
        browser.find_element(By.CSS_SELECTOR, ".signout button").click()
        wait(browser, lambda d: "/login" in d.current_url)
        users = bagboard("user", "list", data_dir=data_dir).stdout.splitlines()
        owner = next(line.split("\t")[1] for line in users if line.split("\t")[2] == "owner")
        browser.find_element(By.ID, "name").send_keys(owner)
        browser.find_element(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)
        wait(browser, lambda d: d.find_elements(By.ID, "keep-reading"))
        # The link works once.
        browser.get(f"{url}/setup/{links[0]}")
        browser.find_element(By.ID, "password").send_keys(PASSWORD)
        browser.find_element(By.ID, "confirm").send_keys(PASSWORD + Keys.ENTER)
        wait(browser, lambda d: "no longer valid" in d.page_source)


def test_a_reader_cannot_open_administration_pages(
    site: dict[str, Any], browser: WebDriver
) -> None:
    url = site["url"]
    sign_in(browser, url, "bob")
    assert not browser.find_elements(By.LINK_TEXT, "Admin")
    browser.get(url + "/admin/problems")
    wait(browser, lambda d: d.find_elements(By.TAG_NAME, "h1"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "403"
    # An owner has the link, and the page.
    browser.delete_all_cookies()
    sign_in(browser, url)
    browser.find_element(By.LINK_TEXT, "Admin").click()
    browser.find_element(By.LINK_TEXT, "Problems").click()
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Unreadable files")


def test_an_owner_adds_a_library_and_scans_it(site: dict[str, Any], browser: WebDriver) -> None:
    url = site["url"]
    more = Path(site["comics"]).parent / "more-comics"
    info = {"Publisher": "Lantern", "Series": "Glass Harbour", "Number": "1"}
    (more / "Lantern").mkdir(parents=True)
    members = {f"p{page:02}.jpg": page_image(5, page) for page in range(1, 3)}
    write_cbz(
        more / "Lantern" / "Glass Harbour 01.cbz", members | {"ComicInfo.xml": comicinfo_xml(info)}
    )
    sign_in(browser, url)
    browser.find_element(By.LINK_TEXT, "Admin").click()
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Libraries")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Choose a folder").click()
    # Down from the filesystem root, one folder at a time, as a person would.
    for name in more.resolve().parts[1:]:
        wait(browser, lambda d, n=name: d.find_elements(By.LINK_TEXT, n))
        browser.find_element(By.LINK_TEXT, name).click()
    wait(browser, lambda d: f"In {more.resolve()}" in d.find_element(By.CLASS_NAME, "folder").text)
    browser.find_element(By.ID, "name").send_keys("More")
    browser.find_element(By.XPATH, "//button[text()='Add this folder']").click()
    wait(browser, lambda d: "Library added" in d.page_source)
    entry = browser.find_element(By.XPATH, "//li[@class='library'][h2[text()='More']]")
    entry.find_element(By.XPATH, ".//button[text()='Scan now']").click()
    # The page follows the scan, then reloads itself (without the notice) to show how it
    # ended with fresh counts.
    entry_text = "//li[@class='library'][h2[text()='More']]"

    def reloaded_done(driver: WebDriver) -> bool:
        if "notice=" in driver.current_url:
            return False
        return any("Scan done: 1 new" in e.text for e in driver.find_elements(By.XPATH, entry_text))

    WebDriverWait(browser, 60, ignored_exceptions=[StaleElementReferenceException]).until(
        reloaded_done
    )
    assert "1 comic" in browser.find_element(By.XPATH, entry_text).text
    shoot(browser, "admin")
    # Its series in browse (reloaded: lists are remembered for a moment).
    wait(
        browser,
        lambda d: d.get(url + "/browse") or d.find_elements(By.PARTIAL_LINK_TEXT, "Lantern"),
    )
    browser.find_element(By.PARTIAL_LINK_TEXT, "Lantern").click()
    wait(browser, lambda d: d.find_elements(By.PARTIAL_LINK_TEXT, "Glass Harbour"))
    # The libraries page fits a phone.
    browser.set_window_size(390, 844)
    browser.get(url + "/admin/libraries")
    wide = "return document.documentElement.scrollWidth > document.documentElement.clientWidth"
    assert not browser.execute_script(wide)
    # A reader is refused.
    browser.delete_all_cookies()
    sign_in(browser, url, "bob")
    browser.get(url + "/admin/libraries")
    wait(browser, lambda d: d.find_elements(By.TAG_NAME, "h1"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "403"
