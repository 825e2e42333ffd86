"""Where rendered covers and pages are kept: the data folder, or a folder of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bagboard.bootstrap import build
from bagboard.cli import _settings as settings_of
from bagboard.cli import build_parser
from bagboard.config import load_settings
from bagboard.domain.images import COVER, FileStamp, RenditionKey


def test_renditions_live_in_the_data_folder_by_default(tmp_path: Path) -> None:
    settings = load_settings(data_dir=str(tmp_path), environ={})
    assert settings.rendition_dir == tmp_path / "renditions"


def test_the_environment_names_a_shared_cache_folder(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    settings = load_settings(data_dir=str(tmp_path), environ={"BAGBOARD_CACHE_DIR": str(shared)})
    assert settings.rendition_dir == shared


def test_the_option_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAGBOARD_CACHE_DIR", str(tmp_path / "from-env"))
    args = build_parser().parse_args(
        ["scan", "--data-dir", str(tmp_path), "--cache-dir", str(tmp_path / "from-option")]
    )
    assert settings_of(args).rendition_dir == tmp_path / "from-option"


def test_the_server_keeps_renditions_in_the_named_folder(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    settings = load_settings(data_dir=str(tmp_path / "data"), cache_dir=str(shared), environ={})
    renditions = build(settings).renditions()
    renditions.put(RenditionKey(7, FileStamp(10, 20), COVER, 400), b"jpeg")
    assert [p.read_bytes() for p in shared.rglob("7-0-*.jpg")] == [b"jpeg"]
    assert not (tmp_path / "data" / "renditions").exists()
