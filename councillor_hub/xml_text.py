"""Text that can go into any XML or HTML the hub writes.

XML 1.0 forbids some characters anywhere in a document: C0 controls other than tab and the two
newlines, lone surrogates, and U+FFFE and U+FFFF. One of them in a post's title made the hub's own
Atom feed unreadable by every feed reader (issue #15), so they are removed from feed-derived text.
"""

from __future__ import annotations

import re

XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return XML_INVALID.sub("", text)
