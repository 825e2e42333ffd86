"""The administration of tokens and users in a real browser against a real ``bagboard serve``:
an owner creates a token in the web app and the server's API takes it, revokes it there and
the API answers 401; a reader cannot open the pages; a phone-wide window never scrolls
sideways on them.
"""

from __future__ import annotations

from typing import Any

import httpx
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select

from tests.system.test_web_browser import browser, sign_in, site, wait

__all__ = ["browser", "site"]  # the fixtures, shared with the other browser tests

PING = "/api/v1/auth/ping"


def ping(url: str, secret: str) -> int:
    return httpx.get(url + PING, headers={"Authorization": f"Bearer {secret}"}).status_code


def heading(driver: WebDriver) -> str:
    return str(driver.find_element(By.TAG_NAME, "h1").text)


def test_an_owner_creates_a_token_that_works_and_revokes_it(
    site: dict[str, Any], browser: WebDriver
) -> None:
    url = site["url"]
    sign_in(browser, url)
    browser.find_element(By.LINK_TEXT, "Tokens").click()
    wait(browser, lambda d: heading(d) == "API tokens")
    Select(browser.find_element(By.ID, "token-user")).select_by_visible_text("bob")
    # Keyboard only: type the name and press Enter.
    browser.find_element(By.ID, "token-name").send_keys("bob's phone" + Keys.ENTER)
    wait(browser, lambda d: heading(d) == "New API token")
    secret = browser.find_element(By.ID, "secret").text.strip()
    assert len(secret) >= 40
    qr = browser.find_element(By.CSS_SELECTOR, "figure svg.qr")
    assert qr.size["width"] > 100 and qr.size["width"] == qr.size["height"]
    assert ping(url, secret) == 200

    browser.get(url + "/admin/tokens")
    assert secret not in browser.page_source
    revoke = browser.find_element(
        By.CSS_SELECTOR, "button[aria-label=\"Revoke bob's token bob's phone\"]"
    )
    revoke.click()
    wait(browser, lambda d: "Revoked" in d.page_source)
    assert ping(url, secret) == 401
    # The fixture's own token still works.
    assert ping(url, site["token"]) == 200


def test_a_reader_cannot_open_users_or_tokens(site: dict[str, Any], browser: WebDriver) -> None:
    url = site["url"]
    sign_in(browser, url, "bob")
    assert not browser.find_elements(By.LINK_TEXT, "Users")
    assert not browser.find_elements(By.LINK_TEXT, "Tokens")
    for path in ("/admin/users", "/admin/tokens", "/admin/users/edit?name=alice"):
        browser.get(url + path)
        wait(browser, lambda d: d.find_elements(By.TAG_NAME, "h1"))
        assert heading(browser) == "403", path
        assert "alice" not in browser.find_element(By.TAG_NAME, "main").text


def test_the_administration_pages_fit_a_phone(site: dict[str, Any], browser: WebDriver) -> None:
    url = site["url"]
    browser.set_window_size(390, 844)
    sign_in(browser, url)
    for path in ("/admin/users", "/admin/users/edit?name=bob", "/admin/tokens"):
        browser.get(url + path)
        wait(browser, lambda d: d.execute_script("return document.readyState") == "complete")
        wide = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert wide[0] <= wide[1], (path, wide)
