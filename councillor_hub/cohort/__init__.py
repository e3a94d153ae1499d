"""Running a cohort: the private programme store and the ``councillor-hub cohort`` commands (issue 11).

Everything here is personal data about real councillors and officers. It lives in one SQLite
file in ``Project.private_dir`` (git-ignored, outside everything the site build reads) and
never flows into the site: nothing in the build imports this package.

Modules, in the order data moves through them:

* ``store`` and ``migrations``: the database, its versioned schema, atomic writes, erasure;
* ``spreadsheets``: reading CSV exports (Microsoft Forms, Google Forms, Excel) with located errors,
  and writing CSV that no spreadsheet will run as a formula;
* ``people``, ``vocabulary``, ``pairing``, ``meetings``, ``readiness``, ``surveys``: the programme;
* ``report`` and ``charts``: the private evaluation report;
* ``protection``: subject access exports, erasure, consent and retention;
* ``cli``: the commands, for a programme lead comfortable with spreadsheets.

Every function that depends on the date takes ``day`` explicitly; only the CLI asks
``project.today()``, so every rule is tested on both sides of its boundary.
"""
