"""The ingester's files: a failed write keeps what was there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from councillor_hub import files
from councillor_hub.files import write_bytes_atomic


def test_failed_replace_keeps_the_old_bytes_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "post.md"
    target.write_bytes(b"the old post\n")

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    # The rename is the one step that makes a write visible; make it fail as a full disk would.
    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        write_bytes_atomic(target, b"the new post\n")
    assert target.read_bytes() == b"the old post\n"
    assert sorted(os.listdir(tmp_path)) == ["post.md"]


def test_replace_over_a_folder_fails_without_touching_it(tmp_path: Path) -> None:
    # No monkeypatching: the operating system refuses to rename a file over a folder.
    target = tmp_path / "post.md"
    target.mkdir()
    (target / "inside").write_bytes(b"kept")
    with pytest.raises(OSError):
        write_bytes_atomic(target, b"new")
    assert (target / "inside").read_bytes() == b"kept"
    assert sorted(os.listdir(tmp_path)) == ["post.md"]


def test_a_write_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "post.md"
    target.write_bytes(b"a much longer old post\n")
    write_bytes_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert sorted(os.listdir(tmp_path)) == ["post.md"]
