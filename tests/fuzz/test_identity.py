"""Fuzzing the learning log's identity and file-name rules (issue #15).

``councillor_hub/ingest/identity.py`` turns whatever a blog sends (titles, guids, links) into
post ids and file names under ``posts/``. Whatever the input, a file name must stay in its folder
(no ``/``, ``\\``, ``..``, NUL, leading dot, device name), be bounded, and be the same for the same
input every time and in every process, or posts would be rewritten or duplicated.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import PurePosixPath, PureWindowsPath

from hypothesis import example, given
from hypothesis import strategies as st

from councillor_hub.ingest.identity import (
    MAX_KEY_LENGTH,
    SLUG_MAX,
    guid_key,
    link_key,
    normalise_link,
    post_filename,
    post_id,
    slugify,
    title_date_key,
)

from ..conftest import REPO

# Titles as hostile blogs write them: path tricks, device names, control and bidi characters.
NASTY = ["../", "..\\", "/", "\\", ".", "\x00", "CON", "nul", "COM1", "lpt9", "\u202e", "\u200b", "ﬁ", "Ⅻ",
         "İ", "ß", "\U0001f600", "\ufeff", " ", "-", "\n", "%2e%2e%2f", "~", "$", "C:"]  # fmt: skip
titles = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)), max_size=25).map("".join)
published = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.just(dt.UTC))
FILE_NAME = re.compile(r"\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{6}\.md")
WINDOWS_DEVICES = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)


# From 4: below that, the fallback slug "post" is longer than the limit (no caller asks for less
# than SLUG_MAX, 60).
@given(titles, st.integers(len("post"), 200))
@example("../../mkdocs", SLUG_MAX)
@example("CON", SLUG_MAX)
def test_a_slug_is_safe_short_and_idempotent(title: str, max_length: int) -> None:
    slug = slugify(title, max_length)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug), slug
    assert len(slug) <= max_length
    assert slugify(slug, max_length) == slug
    assert slugify(title, max_length) == slug


@given(published, titles, st.text(max_size=30), st.text(max_size=200))
@example(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "../../mkdocs.yml", "feed", "guid")
@example(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "nul", "feed", "\x00")
def test_a_post_file_name_stays_in_its_folder(when: dt.datetime, title: str, feed_id: str, key: str) -> None:
    name = post_filename(when, title, post_id(feed_id, key))
    assert FILE_NAME.fullmatch(name), name
    assert len(name) <= len("0000-00-00-") + SLUG_MAX + len("-000000.md")
    for pure in (PurePosixPath, PureWindowsPath):
        path = pure("posts") / name
        assert path.parent == pure("posts") and path.name == name
    assert not name.startswith(".") and ".." not in name and "\x00" not in name
    assert not WINDOWS_DEVICES.fullmatch(name.split(".")[0])
    assert post_filename(when, title, post_id(feed_id, key)) == name


@given(st.text(max_size=40), st.text(max_size=400))
def test_a_post_id_is_sixteen_hex_digits_and_deterministic(feed_id: str, key: str) -> None:
    pid = post_id(feed_id, key)
    assert re.fullmatch(r"[0-9a-f]{16}", pid)
    assert post_id(feed_id, key) == pid


urlish = st.one_of(
    st.text(max_size=60),
    st.builds(
        "{}://{}{}{}".format,
        st.sampled_from(["http", "https", "HTTPS", "ftp", "javascript", ""]),
        st.sampled_from(
            ["www.Example.org", "example.org.", "[::1]", "[::1", "a@b", "x:99999", "ex%41mple.org", "é.fr"]
        ),
        st.sampled_from(["", "/", "/a/", "/a/../b", "\\", "/\x00"]),
        st.sampled_from(["", "?utm_source=x", "?b=2&a=1", "#top", "?%zz", "?a=%ff"]),
    ),
)


@given(urlish)
@example("https://www.Example.org/a/?utm_source=rss#top")
def test_keys_never_raise_and_stay_bounded(value: str) -> None:
    for key in (guid_key(value), link_key(value), title_date_key(value, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))):
        assert key is None or (isinstance(key, str) and 0 < len(key) <= MAX_KEY_LENGTH)


@given(urlish)
@example("HTTP://[::]")
@example("http://[::1]:8080/")
def test_a_normalised_link_normalises_to_itself(value: str) -> None:
    normal = normalise_link(value)
    assert normal is None or normalise_link("https:" + normal) == normal


# Fixed inputs: their file names must be the same in another process (with another hash seed),
# so nothing in the rules depends on the order of a set or dict, or on the process.
FIXED = [("feed", "guid-1", "Hello, world!"), ("f", "../../x", "CON"), ("f", "\x00", "\u202eevil\u202c"), ("", "", "")]


def _names() -> list[str]:
    when = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    return [post_filename(when, title, post_id(feed, key)) for feed, key, title in FIXED]


def test_file_names_are_the_same_in_another_process() -> None:
    code = "import json, tests.fuzz.test_identity as t; print(json.dumps(t._names()))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, timeout=120, check=True
    )
    assert json.loads(result.stdout) == _names()


def test_an_ipv6_port_stays_apart_from_the_address() -> None:
    assert normalise_link("http://[::1]:8080/") == "//[::1]:8080"
    assert normalise_link("http://[::1]:8080/") != normalise_link("http://[::1:8080]/")
