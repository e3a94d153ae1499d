"""Fuzzing date handling (issue #15): the ingester's and the content's.

Whatever a feed or a content file says, reading a date never raises, and gives either a
plausible date or "unknown" (None for a post; a located problem for content). Plausible means
the day that was written, no earlier than 1990 (before blogs) and, for a post, no later than now.
"""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from councillor_hub.errors import ContentError
from councillor_hub.ingest.parse_worker import _timestamp, parse_bytes
from councillor_hub.ingest.parsing import RawEntry, _to_parsed_feed, _when
from councillor_hub.ingest.run import _clean_entry, _parse_iso
from councillor_hub.loading import load_toolkit
from councillor_hub.project import Project

from ..conftest import FIXTURES, REPO
from .conftest import scaled

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
EARLIEST_POST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
NOW_STAMP = int(NOW.timestamp())

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.binary(max_size=10),
    st.lists(st.integers(), max_size=10),
    st.tuples(*[st.integers(-(10**20), 10**20)] * 9),
    st.tuples(*[st.integers(-100, 10000)] * 9),
)


@given(anything)
@example((10**15, 1, 1, 0, 0, 0, 0, 0, 0))
@example((1, 1, 1, 0, 0, 0, 0, 1, 0))
def test_a_parsed_feed_time_becomes_a_timestamp_or_nothing(value: object) -> None:
    """parse_worker turns feedparser's time tuples into seconds; parsing turns those into datetimes."""
    stamp = _timestamp(value, None, NOW_STAMP)
    assert stamp is None or (isinstance(stamp, int) and EARLIEST_POST.timestamp() <= stamp <= NOW_STAMP + 86400)
    when = _when(stamp)
    assert when is None or (isinstance(when, dt.datetime) and when.tzinfo is not None)
    assert _when(value) is None or isinstance(value, int)


@given(st.one_of(st.none(), st.text(max_size=40), st.datetimes(timezones=st.timezones()).map(dt.datetime.isoformat)))
def test_a_stored_time_is_read_back_or_is_unknown(value: str | None) -> None:
    parsed = _parse_iso(value)
    assert parsed is None or isinstance(parsed, dt.datetime)


# --- A date as a feed writes it, through the ingester ---------------------------------------------

years = st.integers(0, 20000)
rfc822 = st.builds(
    "Mon, {:02d} {} {:04d} 10:00:00 GMT".format, st.integers(1, 31), st.sampled_from(["Jan", "Feb", "Dec"]), years
)
iso8601 = st.builds("{:04d}-{:02d}-{:02d}T10:00:00Z".format, years, st.integers(0, 13), st.integers(0, 32))
written_dates = st.one_of(rfc822, iso8601, st.text(max_size=40))


def _ingested_date(written: str) -> dt.datetime | None:
    """The publication time the ingester keeps for an RSS item dated ``written``."""
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.org/</link>'
        f"<item><title>x</title><guid>g</guid><pubDate>{_xml_text(written)}</pubDate></item></channel></rss>"
    ).encode()
    with warnings.catch_warnings():
        # feedparser warns when a date is only reached through its updated→published fallback; the
        # ingester runs it in a worker process where that warning is not an error.
        warnings.simplefilter("ignore", DeprecationWarning)
        raw = parse_bytes(body, {}, now=NOW_STAMP)
    feed = _to_parsed_feed(raw, {})
    if not feed.entries:
        return None
    return _clean_entry(feed.entries[0], "https://example.org/feed", NOW).published


def _xml_text(text: str) -> str:
    """``text`` as XML character data (the feed itself stays well-formed; the date is the test)."""
    allowed = "".join(c for c in text if c in "\t\n\r" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd")
    return allowed.replace("&", "&amp;").replace("<", "&lt;")


def _year_written(written: str) -> int | None:
    """The year in a date made by ``rfc822`` or ``iso8601``, or None for free text."""
    parts = written.split(" ")
    if len(parts) == 6 and parts[3].isdigit():
        return int(parts[3])
    if written[:4].isdigit() and written[4:5] == "-":
        return int(written[:4])
    return None


@given(written_dates)
@settings(max_examples=scaled(60))
def test_a_feed_date_never_stops_the_ingester(written: str) -> None:
    published = _ingested_date(written)
    assert published is None or isinstance(published, dt.datetime)


@given(written_dates)
@settings(max_examples=scaled(60))
@example("Mon, 01 Jan 0001 10:00:00 GMT")
@example("10000-01-01T10:00:00Z")
def test_a_feed_date_is_the_day_written_or_unknown(written: str) -> None:
    published = _ingested_date(written)
    if published is not None:
        assert EARLIEST_POST <= published <= NOW, (written, published)
        year = _year_written(written)
        assert year is None or year == published.year, (written, published)


optional_times = st.one_of(st.none(), st.datetimes(timezones=st.just(dt.UTC)))


@given(optional_times, optional_times)
@example(dt.datetime(1, 1, 1, tzinfo=dt.UTC), None)
def test_the_chosen_post_date_is_plausible_or_unknown(
    published: dt.datetime | None, updated: dt.datetime | None
) -> None:
    entry = RawEntry(
        guid="g", link=None, title="t", title_type="text/plain", author=None, categories=(),
        published=published, updated=updated, body="", body_type="text/html",
    )  # fmt: skip
    chosen = _clean_entry(entry, None, NOW).published
    assert chosen is None or EARLIEST_POST <= chosen <= NOW, chosen


# --- last_reviewed in a content file ----------------------------------------------------------------


@pytest.fixture(scope="module")
def mini_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("fuzz-dates")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(FIXTURES / "mini" / "content", root / "content")
    yield root


def _yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted string: every character but letters and digits escaped."""
    return '"' + "".join(c if c.isascii() and c.isalnum() else f"\\U{ord(c):08x}" for c in text) + '"'


review_dates = st.one_of(
    st.text(max_size=25),
    st.dates().map(dt.date.isoformat),
    st.integers(-(10**12), 10**12).map(str),
    st.datetimes().map(dt.datetime.isoformat),
    st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)),
)


@given(written=review_dates)
@settings(max_examples=scaled(40))
@example(written="0")
@example(written="1672531200")
@example(written="0001-01-01")
@example(written="2026-11-23T00:00:00")
def test_a_review_date_is_the_day_written_or_a_located_problem(mini_project: Path, written: str) -> None:
    platform = mini_project / "content/toolkits/platforms/example.yml"
    original = platform.read_text()
    platform.write_text(original.replace("last_reviewed: 2026-11-23", f"last_reviewed: {_yaml_quoted(written)}"))
    try:
        kit = load_toolkit(Project.load(mini_project, upstream=True), on=NOW.date())
    except ContentError as error:
        reviewed = [p for p in error.problems if p.field == "last_reviewed"]
        assert reviewed, error.report()
        assert all(p.path == "content/toolkits/platforms/example.yml" and p.line == 57 for p in reviewed)
    else:
        day = kit.items("platform")[0].last_reviewed
        assert day.isoformat() == written.strip(), (written, day)
        assert dt.date(2000, 1, 1) <= day <= NOW.date(), (written, day)
    finally:
        platform.write_text(original)
