"""Hypothesis settings for the fuzz layer (issue #15): property tests over hostile input.

Two profiles, chosen with the HYPOTHESIS_PROFILE environment variable:

* ``ci`` (the default): few examples, derandomised, so the whole layer runs in well under a
  minute and a failure in CI fails the same way on a laptop. No example database is kept, so
  runs never leave files behind; a failure prints its reproduction blob (``@reproduce_failure``).
* ``nightly`` (``HYPOTHESIS_PROFILE=nightly``): many more examples from a fresh random seed each
  night (.github/workflows/nightly.yml). A failure prints its seed and blob to reproduce it.

No deadline in either: the machines these run on are shared, and a slow example is not a bug
(the tests that do promise a time limit say so themselves).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    # Loading a whole project per example is slow by Hypothesis' standards, and that is fine.
    "suppress_health_check": [HealthCheck.too_slow],
}

CI_EXAMPLES = 40
settings.register_profile("ci", max_examples=CI_EXAMPLES, derandomize=True, **_COMMON)
settings.register_profile("nightly", max_examples=100 * CI_EXAMPLES, derandomize=False, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def scaled(examples: int) -> int:
    """``examples`` under the ci profile, and proportionally more under nightly (100 times).

    For a property that needs more examples than the default (a cheap one over a big input
    space) or fewer (one that loads a whole project per example).
    """
    return max(1, examples * settings.default.max_examples // CI_EXAMPLES)
