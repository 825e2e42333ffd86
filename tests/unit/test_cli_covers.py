"""``bagboard covers warm`` and ``bagboard scan --warm-covers``, in-process on SQLite."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from bagboard.cli import main
from bagboard.cli.covers import CountBar
from bagboard.config import load_settings
from tests.archive_factory import jpeg, write_cbz


def _library(root: Path, count: int) -> Path:
    for number in range(1, count + 1):
        path = root / "Pub" / "Series" / f"Issue {number:03d}.cbz"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_cbz(path, {"p1.jpg": jpeg((number * 20, 0, 0), (600, 900))})
    (root / "Pub" / "broken.cbz").write_bytes(b"not a zip at all")
    return root


def _covers(data: Path, size: int = 400) -> list[Path]:
    return sorted((data / "renditions").rglob(f"*-0-{size}.*.jpg"))


def test_scan_with_warm_covers_renders_every_cover(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = _library(tmp_path / "comics", 5)
    data = tmp_path / "data"
    code = main(["scan", "--workers", "0", "--data-dir", str(data), "--library", str(library)])
    assert code == 0
    assert _covers(data) == []
    code = main(["scan", "--workers", "0", "--data-dir", str(data), "--warm-covers"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "covers: 5 ready, 1 without a cover" in err
    covers = _covers(data)
    assert len(covers) == 5
    image = Image.open(io.BytesIO(covers[0].read_bytes()))
    assert image.format == "JPEG" and max(image.size) == 400


def test_covers_warm_at_a_size_and_again_is_cheap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = _library(tmp_path / "comics", 3)
    data = tmp_path / "data"
    assert main(["scan", "--workers", "0", "--data-dir", str(data), "--library", str(library)]) == 0
    assert main(["covers", "warm", "--data-dir", str(data), "--cover-size", "200"]) == 0
    assert "covers: 3 ready, 1 without a cover" in capsys.readouterr().err
    covers = _covers(data, 200)
    assert len(covers) == 3
    stamps = [path.stat().st_mtime_ns for path in covers]
    assert main(["covers", "warm", "--data-dir", str(data), "--cover-size", "200"]) == 0
    assert [path.stat().st_mtime_ns for path in _covers(data, 200)] == stamps  # not redone


def test_covers_warm_refuses_a_size_out_of_range(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["covers", "warm", "--data-dir", str(tmp_path), "--cover-size", "5"])


def test_covers_warm_of_one_library_and_of_a_folder_that_is_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = _library(tmp_path / "one", 2), _library(tmp_path / "two", 3)
    data = tmp_path / "data"
    for library in (one, two):
        args = ["scan", "--workers", "0", "--data-dir", str(data), "--library", str(library)]
        assert main(args) == 0
    capsys.readouterr()
    assert main(["covers", "warm", "--data-dir", str(data), "--library", str(two)]) == 0
    assert "covers: 3 ready, 1 without a cover" in capsys.readouterr().err
    assert main(["covers", "warm", "--data-dir", str(data), "--library", str(tmp_path)]) == 1
    assert "not an enabled library" in capsys.readouterr().err


def test_the_count_bar_draws_progress() -> None:
    out = io.StringIO()
    bar = CountBar("covers", 4, out)
    bar(4)
    bar.close()
    assert "100% 4/4" in out.getvalue()
    assert "#" * CountBar.WIDTH in out.getvalue()


def test_the_cover_cache_size_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert load_settings(environ={}).cover_cache_mb == 1024
    assert load_settings(environ={"BAGBOARD_COVER_CACHE_MB": "64"}).cover_cache_mb == 64
    monkeypatch.setenv("BAGBOARD_COVER_CACHE_MB", "lots")
    assert main(["covers", "warm", "--data-dir", str(tmp_path)]) == 1
    assert "BAGBOARD_COVER_CACHE_MB" in capsys.readouterr().err


def test_the_disk_cache_keeps_to_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    library = _library(tmp_path / "comics", 3)
    data = tmp_path / "data"
    assert main(["scan", "--workers", "0", "--data-dir", str(data), "--library", str(library)]) == 0
    monkeypatch.setenv("BAGBOARD_COVER_CACHE_MB", "1")
    # Covers of noise at full size weigh about 400 KB each: 1 MB cannot keep all three.
    for number, path in enumerate(sorted(library.rglob("Issue *.cbz"))):
        noise = Image.effect_noise((600, 900), 90).convert("RGB")
        out = io.BytesIO()
        noise.save(out, format="JPEG", quality=95)
        write_cbz(path, {"p1.jpg": out.getvalue() + bytes([number])})
    assert main(["scan", "--workers", "0", "--data-dir", str(data)]) == 0
    assert main(["covers", "warm", "--data-dir", str(data), "--cover-size", "2000"]) == 0
    capsys.readouterr()
    kept = list((data / "renditions").rglob("*.jpg"))
    assert 0 < len(kept) < 3
    assert sum(path.stat().st_size for path in kept) <= 1024 * 1024
