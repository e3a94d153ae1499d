"""Is this feed still the blog its facilitator registered? (issue #15, finding 10)

A feed address can change hands: a lapsed domain bought by a casino, a hacked blog, a host that
starts serving another site. Its new posts would then appear on the hub under the facilitator's
name. So each feed remembers which sites it belongs to (``FeedState.sites``: host names,
without ``www.``), learnt at its first successful fetch from the registry's ``url`` and
``site_url``, the channel's own link and its entries' links. After that, a **new** entry is
held for review, not published, when

* the channel's link names a host outside those sites (the feed now says it is another site), or
* the entry's link does (its posts now live somewhere else, perhaps on another registered
  facilitator's site).

Held posts are written to ``posts/held/`` (``store.held_dir``), which the site never reads but
the daily workflow commits, and are reported on every run. ``councillor-hub feeds accept FEED``
publishes them and adds the new hosts to the feed's sites (the blog really moved); deleting
them, and retiring the feed if it was taken over, rejects them. Posts already published, and
edits to them, are not affected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit

from ..feeds import Feed
from ..files import write_text_atomic
from .store import FeedState, StateJournal, held_dir, iter_posts, load_state, read_post, run_lock


def site_host(url: str | None) -> str | None:
    """The host a link points at, lower case, without ``www.`` or a trailing dot; None if none."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")


def registered_hosts(feed: Feed) -> set[str]:
    """The hosts the registry itself names for a feed (its feed address and home page)."""
    return {h for h in (site_host(feed.url), site_host(feed.site_url)) if h}


def hosts_of_link_keys(keys: Iterable[str]) -> set[str]:
    """Hosts of stored link keys (``identity.link_key``: ``//host/path``), posts already published."""
    hosts = set()
    for key in keys:
        if key.startswith("//"):
            host = key[2:].split("/", 1)[0].split("?", 1)[0].rsplit(":", 1)[0]
            if host:
                hosts.add(host)
    return hosts


class SiteCheck:
    """Decides, for one feed in one run, which new entries are held and why."""

    def __init__(
        self,
        feed: Feed,
        feed_state: FeedState,
        channel_link: str | None,
        entry_links: Iterable[str | None],
        published_hosts: set[str],
        other_feeds_hosts: Mapping[str, str],
        held_hosts: Iterable[str] = (),
    ) -> None:
        """``published_hosts``: hosts of this feed's posts already stored; ``other_feeds_hosts``:
        host → id of another feed whose registered address or home page is on that host;
        ``held_hosts``: hosts of this feed's posts waiting in ``posts/held/``."""
        self.feed_state = feed_state
        self.other_feeds_hosts = other_feeds_hosts
        own = registered_hosts(feed)
        self.channel_host = site_host(channel_link)
        # Hosts of held posts are never learnt, even when state.json was lost with the feed's
        # sites: the held files are the record that those hosts were not trusted.
        seen = {self.channel_host} | {site_host(link) for link in entry_links} | published_hosts
        seen -= {None, *held_hosts}
        if feed_state.sites is None and seen:
            # First fetch that shows a site (or the first since provenance was added): this is
            # what the feed's site looks like. Hosts that are another facilitator's are never
            # learnt here. An empty first fetch teaches nothing, so the next one still can.
            learnt = {h for h in seen if h and (h in own or h not in other_feeds_hosts)}
            feed_state.sites = sorted(own | learnt)
        self.sites = set(feed_state.sites or ()) | own

    def hold_reason(self, link: str | None) -> tuple[str, str] | None:
        """(host, reason) if a new entry with this link must be held for review, else None."""
        if self.channel_host and self.channel_host not in self.sites:
            return self.channel_host, f"the feed now says it is {self.channel_host}"
        host = site_host(link)
        if host and host not in self.sites:
            owner = self.other_feeds_hosts.get(host)
            whose = f", the site of feed {owner}" if owner else ""
            return host, f"its posts now link to {host}{whose}"
        return None

    def held(self, host: str) -> None:
        """Remember a host that caused a hold, for ``accept`` to add to the feed's sites."""
        held = set(self.feed_state.held_hosts or ())
        if host not in held:
            self.feed_state.held_hosts = sorted(held | {host})


def other_feeds_hosts(feeds: Iterable[Feed]) -> dict[str, dict[str, str]]:
    """For each feed id: host → id of the first *other* feed that names that host in the registry."""
    feeds = list(feeds)
    owners: dict[str, list[str]] = {}
    for feed in feeds:
        for host in registered_hosts(feed):
            owners.setdefault(host, []).append(feed.id)
    return {
        feed.id: {host: next(i for i in ids if i != feed.id) for host, ids in owners.items() if set(ids) - {feed.id}}
        for feed in feeds
    }


def held_hosts_by_feed(posts_dir: Path) -> dict[str, set[str]]:
    """Feed id → the hosts its posts waiting in ``posts/held/`` link to."""
    out: dict[str, set[str]] = {}
    for stored in iter_posts(held_dir(posts_dir)):
        host = site_host(stored.post.link)
        if host:
            out.setdefault(stored.post.feed, set()).add(host)
    return out


def accept_hosts(feed_state: FeedState) -> list[str]:
    """Make the hosts that caused holds part of the feed's sites; returns them."""
    hosts = list(feed_state.held_hosts or ())
    feed_state.sites = sorted(set(feed_state.sites or ()) | set(hosts))
    feed_state.held_hosts = None
    return hosts


def accept_held(posts_dir: Path, state_path: Path, feed_id: str) -> tuple[list[str], list[str]]:
    """Publish every post of ``feed_id`` held for review, and trust the hosts that held them.

    Moves the files from ``posts/held/`` into ``posts/`` and adds the feed's ``held_hosts`` to
    its ``sites``, so its next posts from there are published. Returns the file names moved
    and the hosts now trusted.
    Holds the ingest lock; raises ``AlreadyRunning`` during a run, ``LookupError`` if a file of
    the same name is already in the posts folder.
    """
    with run_lock(state_path.parent):
        state, _ = load_state(state_path, posts_dir)
        moved = []
        folder = held_dir(posts_dir)
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            stored = read_post(folder, path.name)
            if stored is None or stored.post.feed != feed_id:
                continue
            if (posts_dir / path.name).exists():
                raise LookupError(f"{path.name} is already in {posts_dir}; move it by hand")
            write_text_atomic(posts_dir / path.name, path.read_text(encoding="utf-8"))
            path.unlink()
            moved.append(path.name)
        hosts = accept_hosts(state.feed(feed_id))
        # finish() also folds in, then removes, any journal a killed run left.
        StateJournal(state_path).finish(state)
    return moved, hosts
