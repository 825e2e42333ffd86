"""Where OPDS links point: the configured public URL, else the request, proxies only if trusted."""

from __future__ import annotations

import pytest

from bagboard.adapters.http.opds.base_url import BaseUrlPolicy, Links, RequestAddress
from bagboard.config import check_public_url, load_settings
from bagboard.domain.errors import InvalidInput

FORWARDED = {
    "x-forwarded-proto": "https",
    "x-forwarded-host": "comics.example.org",
    "x-forwarded-port": "8443",
    "x-forwarded-prefix": "/bagboard",
}


def address(client: str = "10.0.0.2", headers: dict[str, str] | None = None) -> RequestAddress:
    return RequestAddress("http", "192.168.1.5:8000", "", client, headers or {})


def test_the_request_address_without_configuration() -> None:
    assert BaseUrlPolicy().base(address()) == "http://192.168.1.5:8000"


def test_forwarded_headers_from_an_untrusted_client_are_ignored() -> None:
    assert BaseUrlPolicy().base(address(headers=FORWARDED)) == "http://192.168.1.5:8000"
    policy = BaseUrlPolicy(trusted_proxies=frozenset({"10.0.0.9"}))
    assert policy.base(address(headers=FORWARDED)) == "http://192.168.1.5:8000"


def test_forwarded_headers_from_a_trusted_proxy_are_believed() -> None:
    policy = BaseUrlPolicy(trusted_proxies=frozenset({"10.0.0.2"}))
    assert policy.base(address(headers=FORWARDED)) == "https://comics.example.org:8443/bagboard"


def test_the_default_port_of_the_forwarded_scheme_is_left_out() -> None:
    policy = BaseUrlPolicy(trusted_proxies=frozenset({"10.0.0.2"}))
    headers = {**FORWARDED, "x-forwarded-port": "443", "x-forwarded-host": "h.example:8000"}
    assert policy.base(address(headers=headers)) == "https://h.example/bagboard"


def test_a_list_of_forwarded_values_takes_the_first() -> None:
    policy = BaseUrlPolicy(trusted_proxies=frozenset({"10.0.0.2"}))
    headers = {"x-forwarded-proto": "https, http", "x-forwarded-host": "a.example, b.example"}
    assert policy.base(address(headers=headers)) == "https://a.example"


@pytest.mark.parametrize(
    "host", ["evil.example/path", "a b", "x@evil.example", "h.example#frag", "<script>"]
)
def test_a_hostile_host_never_reaches_a_link(host: str) -> None:
    policy = BaseUrlPolicy(trusted_proxies=frozenset({"10.0.0.2"}))
    base = policy.base(address(headers={"x-forwarded-host": host}))
    assert base == "http://192.168.1.5:8000"
    hostile = RequestAddress("http", host, "", None, {})
    assert BaseUrlPolicy().base(hostile) == "http://localhost"


def test_an_unknown_forwarded_scheme_is_ignored() -> None:
    policy = BaseUrlPolicy(trusted_proxies=frozenset({"10.0.0.2"}))
    assert policy.base(address(headers={"x-forwarded-proto": "javascript"})).startswith("http:")


def test_the_asgi_root_path_is_a_prefix() -> None:
    request = RequestAddress("https", "h.example", "/comics/", None, {})
    assert BaseUrlPolicy().base(request) == "https://h.example/comics"


def test_a_public_url_wins_over_everything() -> None:
    policy = BaseUrlPolicy("https://comics.example.org/lib", frozenset({"10.0.0.2"}))
    assert policy.base(address(headers=FORWARDED)) == "https://comics.example.org/lib"


def test_links_are_absolute_and_escape_query_values() -> None:
    links = Links("https://h.example/lib")
    assert links.to("/opds/v1.2/catalog") == "https://h.example/lib/opds/v1.2/catalog"
    url = links.to("/opds/v1.2/series", {"publisher": "Marvel & DC/Epic", "page": 2, "q": ""})
    assert url == "https://h.example/lib/opds/v1.2/series?publisher=Marvel%20%26%20DC%2FEpic&page=2"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://comics.example.org/", "https://comics.example.org"),
        ("http://h:8080/a/b/", "http://h:8080/a/b"),
        (" https://h ", "https://h"),
        ("", None),
        (None, None),
    ],
)
def test_public_url_is_normalised(raw: str | None, expected: str | None) -> None:
    assert check_public_url(raw) == expected


@pytest.mark.parametrize("raw", ["ftp://h", "comics.example.org", "https://h/?a=1", "https://"])
def test_a_malformed_public_url_is_refused(raw: str) -> None:
    with pytest.raises(InvalidInput):
        check_public_url(raw)


def test_settings_read_the_address_options_from_the_environment(tmp_path: object) -> None:
    settings = load_settings(
        data_dir=str(tmp_path),
        environ={
            "BAGBOARD_PUBLIC_URL": "https://c.example/x/",
            "BAGBOARD_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2,,",
        },
    )
    assert settings.public_url == "https://c.example/x"
    assert settings.trusted_proxies == ("10.0.0.1", "10.0.0.2")
    explicit = load_settings(
        data_dir=str(tmp_path),
        public_url="http://h",
        trusted_proxies=("127.0.0.1",),
        environ={"BAGBOARD_PUBLIC_URL": "https://other", "BAGBOARD_TRUSTED_PROXIES": "1.2.3.4"},
    )
    assert (explicit.public_url, explicit.trusted_proxies) == ("http://h", ("127.0.0.1",))
