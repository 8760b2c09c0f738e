"""The local malware engine: Debian's clamd on 127.0.0.1, with the signature
database this project ships (infra/clamav: the EICAR test file and the
project's own harmless test marker). freshclam is never run locally.

The stack starts it; the tests stop and start it again to show that a claim
waits while the engine is down and moves on when it is back.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIGNATURES = ROOT / "infra" / "clamav"
HOST = "127.0.0.1"
PORT = int(os.environ.get("LOCAL_CLAIMS_CLAMD_PORT", "3310"))
#: Per port, so a benchmark's private stack leaves the development one's clamd alone.
HOME = ROOT / ".local" / f"clamd-{PORT}"
ADDRESS = f"{HOST}:{PORT}"
#: Above the largest file a requirement may allow (25 MB).
STREAM_MAX = "30M"


def binary() -> str:
    found = shutil.which("clamd") or ("/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None)
    if not found:
        raise RuntimeError("clamd is not installed: run `bash infra/setup.sh` (it installs clamav-daemon)")
    return found


def write_config() -> Path:
    (HOME / "tmp").mkdir(parents=True, exist_ok=True)
    config = HOME / "clamd.conf"
    config.write_text("\n".join([
        "# Written by infra/clamav.py on every start.",
        "Foreground yes",
        f"TCPSocket {PORT}",
        f"TCPAddr {HOST}",
        f"DatabaseDirectory {SIGNATURES}",
        f"TemporaryDirectory {HOME / 'tmp'}",
        f"PidFile {HOME / 'clamd.pid'}",
        f"StreamMaxLength {STREAM_MAX}",
        f"MaxFileSize {STREAM_MAX}",
        "MaxScanSize 120M",
        "SelfCheck 0",
        "",
    ]), encoding="utf-8")
    return config


def command(verb: bytes, timeout: float = 2.0) -> bytes:
    with socket.create_connection((HOST, PORT), timeout=timeout) as connection:
        connection.sendall(b"z" + verb + b"\0")
        reply = b""
        while not reply.endswith(b"\0"):
            chunk = connection.recv(4096)
            if not chunk:
                break
            reply += chunk
        return reply.rstrip(b"\0")


def answers() -> bool:
    try:
        return command(b"PING") == b"PONG"
    except OSError:
        return False


def start(log_path: Path, timeout: float = 30) -> subprocess.Popen:
    """Starts clamd in the background and waits until it answers PING."""
    if answers():
        raise RuntimeError(f"something already answers on {ADDRESS}: stop it, or set LOCAL_CLAIMS_CLAMD_PORT")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    out = open(log_path, "a", encoding="utf-8")
    process = subprocess.Popen([binary(), "-c", str(write_config())], stdout=out, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if answers():
            return process
        if process.poll() is not None:
            raise RuntimeError(f"clamd stopped at start (see {log_path})")
        time.sleep(0.1)
    raise RuntimeError(f"clamd did not answer within {timeout:.0f}s (see {log_path})")


def stop() -> None:
    """Stops whichever clamd this project started (by its pid file)."""
    pid_file = HOME / "clamd.pid"
    try:
        pid = int(pid_file.read_text().strip())
        # A pid file left by a run long gone may name another process by now.
        if b"clamd" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return
    except (OSError, ValueError):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + 10
    while time.time() < deadline and answers():
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
