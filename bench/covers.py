"""Measure covers and downloads over HTTP on a real ``bagboard serve``.

    .venv/bin/python bench/covers.py [--comics 200] [--work DIR] [--download-mb 200]
        [--duration 8] [--connections 8] [--pdfs 40] [--pdf-only]

Writes CBZ comics whose pages are 2000x3000 JPEG scans, plus one comic of ``--download-mb``
MB, and ``--pdfs`` PDFs of 300 drawn (vector) pages, indexes them, starts ``bagboard serve
--no-watch`` and measures:

- cold covers: every comic's 400 px cover requested once (nothing cached), from as many
  client threads as the machine has CPUs; covers/s overall and per CPU;
- warm covers: wrk (Debian package ``wrk``) cycling over the same cover URLs, now cached,
  and ``/auth/ping`` under the same load for reference (the machine's ceiling at that moment);
- download: the big comic fetched whole with curl to /dev/null, MB/s (and a second time, so
  the file is in the page cache as it would be for a popular comic);
- PDF covers: every PDF's 400 px cover once, nothing cached (each a page rendered by pdfium);
- PDF pages streamed: every page of one 300-page PDF through OPDS page streaming at 1080 px
  wide, nothing cached, from as many client threads as for the covers.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageDraw

WARM_LUA = """
local ids = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/issue/" .. ids[(n %% #ids) + 1] .. "/cover")
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%f\\n", summary.requests,
    summary.errors.status, latency:percentile(95), summary.duration / 1e6))
end
"""


def scan_page(seed: int) -> bytes:
    """A 2000x3000 JPEG with gradients and shapes, about the weight of a real scanned page."""
    image = Image.linear_gradient("L").resize((2000, 3000)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for n in range(40):
        x, y = (n * 97 + seed * 31) % 1900, (n * 151 + seed * 17) % 2900
        draw.ellipse((x, y, x + 120, y + 160), fill=((n * 40) % 256, seed % 256, 90))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


PDF_PAGES = 300


def pdf_page_content(seed: int, page: int) -> bytes:
    """A letter page drawn as a comic's line art would be: panels, shapes and strokes."""
    ops = ["1 w"]
    for panel in range(6):
        x, y = 36 + (panel % 2) * 276, 36 + (panel // 2) * 244
        ops.append(f"0 0 0 RG {x} {y} 264 232 re S")
        for n in range(60):
            shade = ((seed * 7 + page * 13 + panel * 29 + n * 11) % 100) / 100
            cx, cy = x + (n * 37 + page) % 240, y + (n * 53 + seed) % 210
            ops.append(f"{shade:.2f} {1 - shade:.2f} 0.5 rg {cx} {cy} m {cx + 20} {cy + 30} "
                       f"{cx + 40} {cy - 10} {cx + 24} {cy + 18} c h f")  # fmt: skip
    return "\n".join(ops).encode()


def write_pdf(path: Path, seed: int, pages: int = PDF_PAGES) -> None:
    """A PDF of ``pages`` drawn pages, written by hand: objects, then the cross-reference."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for page in range(pages):
        content = pdf_page_content(seed, page)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R >>"
            % len(objects)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, b" ".join(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def write_library(root: Path, comics: int, download_mb: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    pages = [scan_page(seed) for seed in range(4)]
    for number in range(comics):
        path = root / "Bench" / "Scans" / f"Scan {number:04d}.cbz"
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
            for page in range(2):
                # A comment per comic keeps every file's bytes distinct.
                data = pages[(number + page) % len(pages)] + f"{number}".encode()
                archive.writestr(f"p{page + 1:02d}.jpg", data)
    big = root / "Bench" / "Big" / "Big 001.cbz"
    if not big.exists() or big.stat().st_size < download_mb * 1_000_000:
        big.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("p01.jpg", pages[0])
            with archive.open("blob.bin", "w", force_zip64=True) as member:
                for _ in range(download_mb):
                    member.write(os.urandom(1_000_000))
    return big


def bagboard(*args: str, data: Path) -> str:
    command = [sys.executable, "-m", "bagboard.cli", *args, "--data-dir", str(data)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, token: str) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        data: bytes = answer.read()
        return data


def comic_ids(base: str, token: str, series: str = "Scans") -> list[int]:
    import json

    url = (
        f"{base}/api/v1/library/issues?mode=filesystem&publisher=Bench&series={series}"
        "&page_size=200"
    )
    ids: list[int] = []
    page = 1
    while True:
        body = json.loads(fetch(f"{url}&page={page}", token))
        ids += [item["id"] for item in body["items"]]
        if not body["has_more"]:
            return ids
        page += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comics", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bagboard-bench-covers"))
    parser.add_argument("--download-mb", type=int, default=200)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pdfs", type=int, default=40)
    parser.add_argument(
        "--pdf-only", action="store_true", help="only the PDF rows (needs neither wrk nor curl)"
    )
    args = parser.parse_args()
    if args.pdf_only:
        return pdf_only(args.work, args.pdfs, os.cpu_count() or 1)
    if shutil.which("wrk") is None or shutil.which("curl") is None:
        raise SystemExit("wrk and curl are needed: apt-get install wrk curl")
    cpus = os.cpu_count() or 1

    library = args.work / "library"
    big = write_library(library, args.comics, args.download_mb)
    write_pdfs(library, args.pdfs)
    data = args.work / "data"
    shutil.rmtree(data, ignore_errors=True)
    bagboard("scan", "--workers", "0", "--library", str(library), data=data)
    token = bagboard("token", "create", "--name", "bench", data=data).strip()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "bagboard.cli", "serve", "--no-watch", "--port", str(port),
        "--data-dir", str(data),
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                fetch(f"{base}/api/v1/auth/ping", token)
                break
            except OSError:
                time.sleep(0.1)
        ids = comic_ids(base, token)
        assert len(ids) == args.comics, len(ids)

        started = time.perf_counter()
        with ThreadPoolExecutor(cpus * 2) as pool:
            sizes = list(
                pool.map(lambda i: len(fetch(f"{base}/api/v1/issue/{i}/cover", token)), ids)
            )
        cold = len(ids) / (time.perf_counter() - started)
        print(f"cold: {cold:.1f} covers/s ({cold / cpus:.1f} per CPU), "
              f"{sum(sizes) / len(sizes) / 1024:.0f} KiB each", file=sys.stderr)  # fmt: skip

        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(WARM_LUA % ",".join(map(str, ids)))
        try:
            done = subprocess.run(
                ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "-s", lua.name,
                 "-H", f"Authorization: Bearer {token}", base],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
        finally:
            Path(lua.name).unlink()
        line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
        requests, errors, p95, seconds = line.split()[1:]
        warm = int(requests) / float(seconds)
        # The same load on the cheapest endpoint: what this machine allows at all right now.
        done = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s",
             "-H", f"Authorization: Bearer {token}", f"{base}/api/v1/auth/ping"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        ping = float(next(x for x in done.stdout.splitlines() if "Requests/sec" in x).split()[1])
        print(f"warm: {warm:,.0f} covers/s, p95 {int(p95) / 1000:.1f} ms, "
              f"non-2xx {errors}", file=sys.stderr)  # fmt: skip

        big_id = next(
            item
            for item in (int(x) for x in range(1, max(ids) + 10))
            if item not in ids and bagboard_comic_is(base, token, item, big.name)
        )
        rates = []
        for _ in range(2):
            out = subprocess.run(
                ["curl", "-s", "-o", "/dev/null", "-w", "%{speed_download} %{size_download}",
                 "-H", f"Authorization: Bearer {token}",
                 f"{base}/api/v1/issue/{big_id}/download"],
                check=True, capture_output=True, text=True,
            ).stdout.split()  # fmt: skip
            assert int(float(out[1])) == big.stat().st_size
            rates.append(float(out[0]) / 1_000_000)
        print(f"download: {rates[0]:,.0f} MB/s cold cache, {rates[1]:,.0f} MB/s again",
              file=sys.stderr)  # fmt: skip
        pdf_covers, pdf_pages = measure_pdfs(base, token, args.pdfs, cpus)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"\n{args.comics} comics of 2000x3000 JPEG pages, 400 px covers, {cpus} CPUs\n")
    print("| measure | result |")
    print("|---|---:|")
    print(f"| cold covers (nothing cached) | {cold:,.1f} covers/s ({cold / cpus:,.1f} per CPU) |")
    print(f"| warm covers (wrk, {args.connections} connections) | {warm:,.0f} covers/s |")
    print(f"| auth/ping, same load, for reference | {ping:,.0f} req/s |")
    print(f"| download of {big.stat().st_size / 1e6:,.0f} MB (curl) | {max(rates):,.0f} MB/s |")
    print(f"| cold PDF covers ({PDF_PAGES}-page drawn PDFs) | {pdf_covers:,.1f} covers/s "
          f"({pdf_covers / cpus:,.1f} per CPU) |")  # fmt: skip
    print(f"| PDF pages streamed cold (1080 px wide) | {pdf_pages:,.1f} pages/s "
          f"({pdf_pages / cpus:,.1f} per CPU) |")  # fmt: skip
    return 0


def write_pdfs(library: Path, pdfs: int) -> None:
    for number in range(pdfs):
        path = library / "Bench" / "Pdf" / f"Pdf {number:04d}.pdf"
        if not path.exists():
            write_pdf(path, number)


def pdf_only(work: Path, pdfs: int, cpus: int) -> int:
    """The PDF rows alone, on a library of PDFs only."""
    library, data = work / "pdf-library", work / "pdf-data"
    write_pdfs(library, pdfs)
    shutil.rmtree(data, ignore_errors=True)
    bagboard("scan", "--workers", "0", "--library", str(library), data=data)
    token = bagboard("token", "create", "--name", "bench", data=data).strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "bagboard.cli", "serve", "--no-watch", "--port", str(port),
        "--data-dir", str(data),
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                fetch(f"{base}/api/v1/auth/ping", token)
                break
            except OSError:
                time.sleep(0.1)
        covers, pages = measure_pdfs(base, token, pdfs, cpus)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\n{pdfs} PDFs of {PDF_PAGES} drawn letter pages, 400 px covers, {cpus} CPUs\n")
    print("| measure | result |")
    print("|---|---:|")
    print(f"| cold PDF covers | {covers:,.1f} covers/s ({covers / cpus:,.1f} per CPU) |")
    print(f"| PDF pages streamed cold (1080 px wide) | {pages:,.1f} pages/s "
          f"({pages / cpus:,.1f} per CPU) |")  # fmt: skip
    return 0


def measure_pdfs(base: str, token: str, pdfs: int, cpus: int) -> tuple[float, float]:
    """Cold covers of every PDF, then every page of the first one streamed, per second."""
    ids = comic_ids(base, token, "Pdf")
    assert len(ids) == pdfs, len(ids)
    started = time.perf_counter()
    with ThreadPoolExecutor(cpus * 2) as pool:
        list(pool.map(lambda i: fetch(f"{base}/api/v1/issue/{i}/cover", token), ids))
    covers = len(ids) / (time.perf_counter() - started)
    print(f"pdf covers: {covers:.1f} covers/s", file=sys.stderr)
    stream = f"{base}/opds/v1.2/issue/{ids[0]}/pse/"
    # The page list is measured once per file, before any page: not part of the rate.
    fetch(f"{base}/api/v1/issue/{ids[0]}/pages", token)
    started = time.perf_counter()
    with ThreadPoolExecutor(cpus * 2) as pool:
        list(pool.map(lambda n: fetch(f"{stream}{n}?width=1080", token), range(PDF_PAGES)))
    pages = PDF_PAGES / (time.perf_counter() - started)
    print(f"pdf pages: {pages:.1f} pages/s", file=sys.stderr)
    return covers, pages


def bagboard_comic_is(base: str, token: str, comic_id: int, name: str) -> bool:
    import json

    try:
        return bool(json.loads(fetch(f"{base}/api/v1/issue/{comic_id}", token))["name"] == name)
    except OSError:
        return False


if __name__ == "__main__":
    raise SystemExit(main())
