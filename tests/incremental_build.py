"""Build a project the way ``mkdocs serve --dirty`` does, in one process: a first build, then after
each step of edits a ``--dirty`` rebuild into the same folder (tests/test_incremental.py).

Usage: python tests/incremental_build.py PROJECT SITE_DIR STEPS_JSON
       python tests/incremental_build.py PROJECT SITE_DIR --clean

STEPS_JSON is a list of steps; each step is a list of ``{"path": ..., "text": ...}`` (a file to
write, relative to PROJECT; ``"text": null`` deletes it). ``--clean`` builds once, without
``--dirty``, in the same serving mode, to compare with.

It runs in a process of its own because MkDocs keeps plugin and hook state for the life of the
process, exactly as serve does (and as a test process must not).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config


def run(project: Path, site_dir: Path, *, dirty: bool) -> None:
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir))
    build(config, dirty=dirty)


def main(argv: list[str]) -> int:
    project, site_dir = Path(argv[0]), Path(argv[1])
    clean = argv[2] == "--clean"
    first = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir))
    # As mkdocs serve does: on_startup once, for the life of the process.
    first.plugins.on_startup(command="serve", dirty=not clean)
    build(first, dirty=not clean)
    if clean:
        return 0
    for step in json.loads(Path(argv[2]).read_text(encoding="utf-8")):
        time.sleep(0.01)  # an edit is always later than the output it changes, as when a person types it
        for edit in step:
            path = project / edit["path"]
            if edit["text"] is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(edit["text"], encoding="utf-8")
        run(project, site_dir, dirty=True)
        print(f"rebuilt after {len(step)} edit(s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
