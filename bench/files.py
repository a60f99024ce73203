"""Files benchmark on a real server (`python -m elior serve`): upload and download throughput of a 10 MB file, with
and without encryption at rest, and the server's memory during 10 concurrent 10 MB uploads.

    python3 bench/files.py [--repeat 5]

Two servers run side by side in one run (same machine, same SQLite setup, a fresh temp directory each): one plain,
one with FILE_ENCRYPTION_KEY. Each upload is a 10 MiB file sent in one multipart body over a fresh connection; the
time is from the first byte sent to the whole answer read, so it covers streaming to disk, type check, metadata
stripping, hashing, sealing, fsync and the database row. Downloads read the file back through its signed URL.
Memory is the server process's VmRSS from /proc, sampled every 5 ms. The client runs on the same 2 cores.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import samples  # noqa: E402
from tests.files_server import FilesServer, files_server  # noqa: E402

MB = 1024 * 1024
SIZE = 10 * MB
BOUNDARY = "elior-bench-boundary"


def pdf_of_size(size: int) -> bytes:
    data = samples.pdf(pad_to=size - 4096)
    data += b"%" * (size - len(data) - 1) + b"\n"
    assert len(data) == size
    return data


def jpeg_of_size(size: int) -> bytes:
    """A JPEG with EXIF whose scan data (random, with stuffed 0xFF bytes) brings it to `size` bytes."""
    base = samples.jpeg()
    sos = base.index(b"\xff\xda")
    header_end = sos + 2 + int.from_bytes(base[sos + 2:sos + 4], "big")
    room = size - header_end - 2
    scan = os.urandom(room).replace(b"\xff", b"\xff\x00")[:room].rstrip(b"\xff")
    scan += b"\x00" * (room - len(scan))
    return base[:header_end] + scan + b"\xff\xd9"


def multipart(data: bytes, purpose: str, name: str) -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n{purpose}\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def upload(server: FilesServer, body: bytes) -> tuple[float, dict[str, object]]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=120)
    started = time.perf_counter()
    connection.request("POST", "/api/files/upload", body=body, headers={
        "Authorization": f"Bearer {server.token}", "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    response = connection.getresponse()
    answer = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 201:
        raise RuntimeError(f"upload answered {response.status}: {answer[:300]!r}")
    return elapsed, json.loads(answer)


def download(server: FilesServer, url: str) -> tuple[float, int]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", url)
    response = connection.getresponse()
    size = 0
    while chunk := response.read(256 * 1024):
        size += len(chunk)
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"download answered {response.status}")
    return elapsed, size


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def throughput(server: FilesServer, body: bytes, size: int, repeat: int) -> tuple[float, float]:
    up, down = [], []
    for _ in range(repeat):
        seconds, answer = upload(server, body)
        up.append(size / MB / seconds)
        seconds, got = download(server, str(answer["url"]))
        assert got == answer["size"]
        down.append(got / MB / seconds)
    return statistics.median(up), statistics.median(down)


def concurrent_memory(server: FilesServer, body: bytes, clients: int = 10) -> tuple[int, int, float]:
    before = rss_kb(server.pid)
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_kb(server.pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    errors: list[BaseException] = []

    def one() -> None:
        try:
            upload(server, body)
        except BaseException as error:  # reported after the run
            errors.append(error)

    started = time.perf_counter()
    workers = [threading.Thread(target=one) for _ in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if errors:
        raise RuntimeError(f"{len(errors)} concurrent uploads failed: {errors[0]}")
    return before, peak, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bodies = {"document (PDF)": multipart(pdf_of_size(SIZE), "document", "plan.pdf"),
              "photo (JPEG, stripped)": multipart(jpeg_of_size(SIZE), "progress_photo", "photo.jpg")}
    env = {"UPLOAD_QUOTA_MB": "100000", "MAX_UPLOAD_MB": "10"}
    print(f"10 MiB files, median of {args.repeat}; one uvicorn worker each; python {sys.version.split()[0]}")
    print(f"{'file':<24}{'encryption':<12}{'upload MB/s':>12}{'download MB/s':>15}")
    results = {}
    with tempfile.TemporaryDirectory() as plain_home, tempfile.TemporaryDirectory() as sealed_home:
        with files_server(f"sqlite:///{plain_home}/elior.db", Path(plain_home), **env) as plain, \
                files_server(f"sqlite:///{sealed_home}/elior.db", Path(sealed_home),
                             FILE_ENCRYPTION_KEY=secrets.token_hex(32), **env) as sealed:
            for label, body in bodies.items():
                for mode, server in (("off", plain), ("AES-GCM", sealed)):
                    up, down = throughput(server, body, SIZE, args.repeat)
                    results[(label, mode)] = (up, down)
                    print(f"{label:<24}{mode:<12}{up:>12.1f}{down:>15.1f}")
            for mode, server in (("off", plain), ("AES-GCM", sealed)):
                before, peak, elapsed = concurrent_memory(server, bodies["document (PDF)"])
                print(f"10 concurrent 10 MiB uploads, encryption {mode}: RSS before {before / 1024:.1f} MB, "
                      f"peak during {peak / 1024:.1f} MB (+{(peak - before) / 1024:.1f} MB), all done in "
                      f"{elapsed:.2f} s ({10 * SIZE / MB / elapsed:.1f} MB/s together)")
    for label in bodies:
        plain_up, plain_down = results[(label, "off")]
        sealed_up, sealed_down = results[(label, "AES-GCM")]
        print(f"{label}: encrypted/plain upload {sealed_up / plain_up:.2f}x, download {sealed_down / plain_down:.2f}x")


if __name__ == "__main__":
    main()
