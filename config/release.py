"""Which release of the code runs: the servers of one release share what they render in the
cache, and never answer with what another release rendered (other markup, other names of the
static files). RELEASE from the environment (say, the commit deployed) when set; else a digest
of what the pages are made from, the same on every server that runs the same code."""

import hashlib
import os
from pathlib import Path

APPS = ("config", "public", "organisers", "attendees", "schedule", "speakers", "conference")
RENDERED_FROM = {".py", ".html", ".txt", ".css", ".js", ".svg", ".json", ".po", ".mo"}


def release(base_dir: Path) -> str:
    if os.environ.get("RELEASE"):
        return os.environ["RELEASE"]
    files = [base_dir / "requirements.lock"]
    for app in APPS:
        files += [
            path
            for path in (base_dir / app).rglob("*")
            if path.suffix in RENDERED_FROM and "__pycache__" not in path.parts
        ]
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(base_dir).as_posix().encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:12]
