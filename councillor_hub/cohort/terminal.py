"""Tables and summaries in the terminal, for a programme lead reading them at a glance.

Text that came from people (names, notes) may hold control characters that a terminal would
act on (clearing the screen, changing colours); ``safe`` shows them as ``?`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tabulate import tabulate

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_CELL = 60


def safe(value: object, *, width: int = MAX_CELL) -> str:
    text = _CONTROL.sub("?", "" if value is None else str(value))
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def table(header: Sequence[str], rows: Iterable[Sequence[object]], *, width: int = MAX_CELL) -> str:
    """A plain table: column names, a rule, then the rows (numbers right-aligned)."""
    cells = [[safe(v, width=width) if not isinstance(v, int | float) else v for v in row] for row in rows]
    if not cells:
        return "(none)"
    return tabulate(cells, headers=list(header), tablefmt="simple", disable_numparse=True)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"
