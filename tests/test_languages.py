"""Welsh and English from one build: twins, switcher, html lang, hreflang, search, fallbacks, the
parity check and the translators' round trip (issue 10)."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from councillor_hub.i18n import Language, make_languages, script_strings

from .conftest import REPO, make_project, mkdocs_build

BILINGUAL = "languages: [en, cy]\n"
# A council's own catalogue entries win over upstream's (and give the test fixed words).
COUNCIL_PO = """\
msgid ""
msgstr ""
"Language: cy\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);\\n"

msgid "Platforms"
msgstr "Platfformau"

msgid "Sources"
msgstr "Ffynonellau"
"""
TRANSLATION = """\
item: guide:first-steps
fields:
  title:
    source: {source}
    text: Eich camau cyntaf ar y cyfryngau cymdeithasol
"""


def guide_title(project: Path) -> str:
    text = (project / "content/toolkits/guides/first-steps.yml").read_text(encoding="utf-8")
    return re.search(r"^title: (.+)$", text, flags=re.M).group(1).strip()  # type: ignore[union-attr]


def make_bilingual(dest: Path) -> Path:
    project = make_project(dest)
    (project / "council.yml").write_text(BILINGUAL, encoding="utf-8")
    (project / "council/locale").mkdir(parents=True)
    (project / "council/locale/cy.po").write_text(COUNCIL_PO, encoding="utf-8")
    folder = project / "council/translations/cy/guide"
    folder.mkdir(parents=True)
    (folder / "first-steps.yml").write_text(TRANSLATION.format(source=guide_title(project)), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    project = make_bilingual(tmp_path_factory.mktemp("bilingual") / "hub")
    site = project.parent / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return project, site


def html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def english_pages(site: Path) -> list[str]:
    pages = []
    for file in sorted(site.rglob("index.html")):
        rel = file.parent.relative_to(site).as_posix()
        rel = "" if rel == "." else rel + "/"
        if rel.startswith(("cy/", "learning-log/posts/", "assets/", "search/")):
            continue
        pages.append(rel)
    return pages


def test_every_page_has_its_welsh_twin_with_lang_switcher_and_hreflang(bilingual: tuple[Path, Path]) -> None:
    _, site = bilingual
    pages = english_pages(site)
    assert len(pages) > 50
    for path in pages:
        english = html(site, path)
        welsh = html(site, "cy/" + path)
        assert '<html lang="en"' in english and '<html lang="cy"' in welsh, path
        depth = path.count("/")
        back = "../" * (depth + 1) + path
        assert f'href="{back}" hreflang="en" lang="en">English</a>' in welsh, path
        assert 'hreflang="cy" lang="cy">Cymraeg</a>' in english, path
        assert f'<link rel="alternate" href="https://example.org/councillor-hub/cy/{path}" hreflang="cy">' in english
        assert f'<link rel="alternate" href="https://example.org/councillor-hub/{path}" hreflang="en">' in welsh


def test_welsh_pages_have_welsh_menus_and_furniture(bilingual: tuple[Path, Path]) -> None:
    _, site = bilingual
    welsh = html(site, "cy/guides/first-steps")
    links = re.findall(r'<a href="([^"]+)" class="md-nav__link', welsh)
    assert links and all(not link.startswith("../../../") for link in links), "the Welsh menu stays in Welsh"
    assert re.search(r'md-ellipsis">\s*Platfformau', welsh), "menu titles come from the catalogue (the council's wins)"
    assert "Ffynonellau" in welsh
    assert "Neidio i" in welsh, "Material's own words are Welsh too (skip link)"
    english = html(site, "guides/first-steps")
    assert "Platfformau" not in english and "Ffynonellau" not in english


def test_translated_content_shows_and_the_rest_is_marked_english(bilingual: tuple[Path, Path]) -> None:
    _, site = bilingual
    welsh = html(site, "cy/guides/first-steps")
    assert "<h1" in welsh and "Eich camau cyntaf ar y cyfryngau cymdeithasol" in welsh
    assert '<span lang="en">' in welsh, "text with no translation yet is marked as English (WCAG 3.1.2)"
    assert 'class="admonition note hub-untranslated" role="note"' in welsh
    guide = html(site, "cy/learning-log-guide")
    assert '<div lang="en">' in guide and "This page has not been translated yet" not in html(
        site, "learning-log-guide"
    )


def test_search_finds_only_its_own_language(bilingual: tuple[Path, Path]) -> None:
    _, site = bilingual
    english = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    welsh = json.loads((site / "cy/search/search_index.json").read_text(encoding="utf-8"))
    assert english["docs"] and welsh["docs"]
    assert not any(d["location"].startswith("cy/") for d in english["docs"])
    assert any("Eich camau cyntaf" in d["title"] for d in welsh["docs"])
    assert not any("Eich camau cyntaf" in d["title"] for d in english["docs"])
    assert welsh["config"]["pipeline"] == ["trimmer"], "no English stemming or stop words on Welsh text"
    page = html(site, "cy/platforms/facebook")
    assert '"base": "../../.."' not in page and '"base": "../../../cy/"' in page


def test_learning_log_index_pages_have_twins(bilingual: tuple[Path, Path]) -> None:
    _, site = bilingual
    assert '<html lang="cy"' in html(site, "cy/learning-log")
    assert (site / "assets/hub/strings.cy.js").is_file()
    assert 'src="../../../assets/hub/strings.cy.js"' in html(site, "cy/platforms/facebook")
    assert "strings.cy.js" not in html(site, "platforms/facebook")


def run_cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "councillor_hub.cli", *args], capture_output=True, text=True, cwd=project, timeout=300
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_bilingual(tmp_path / "hub")


def test_parity_check_lists_every_gap_located_and_strict_fails(project: Path) -> None:
    relaxed = run_cli(project, "check")
    assert relaxed.returncode == 0, relaxed.stderr
    lines = relaxed.stderr.splitlines()
    missing = [line for line in lines if line.endswith("(not yet translated)")]
    assert len(missing) > 1000
    assert re.match(
        r"^content/toolkits/platforms/facebook\.yml:\d+:\d+: summary: not yet translated into cy",
        next(m for m in missing if "facebook.yml" in m and ": summary:" in m),
    )
    assert not any("first-steps.yml" in m and ": title:" in m for m in missing), "the translated title is not missing"
    strict = run_cli(project, "check", "--strict")
    assert strict.returncode == 1


def test_changed_english_makes_the_translation_out_of_date(project: Path, tmp_path: Path) -> None:
    guide = project / "content/toolkits/guides/first-steps.yml"
    title = guide_title(project)
    guide.write_text(
        guide.read_text(encoding="utf-8").replace(f"title: {title}", f"title: {title} (new)", 1), encoding="utf-8"
    )
    result = run_cli(project, "check")
    stale = [line for line in result.stderr.splitlines() if line.endswith("(out of date)")]
    assert stale == [
        "council/translations/cy/guide/first-steps.yml:3:3: fields.title: out of date: the English of guide:first-steps "
        "title has changed since it was translated (now at content/toolkits/guides/first-steps.yml:3) (out of date)"
    ]
    site = tmp_path / "site"
    assert mkdocs_build(project, site).returncode == 0
    welsh = html(site, "cy/guides/first-steps")
    assert "Eich camau cyntaf" not in welsh and f'<span lang="en">{title} (new)</span>' in welsh


def test_export_translate_import_closes_exactly_those_gaps(project: Path, tmp_path: Path) -> None:
    exported = tmp_path / "cy.po"
    result = run_cli(project, "translations", "export", "--lang", "cy", "-o", str(exported))
    assert result.returncode == 0, result.stderr
    with exported.open("rb") as handle:
        catalogue = read_po(handle)
    entries = {m.context: m for m in catalogue if m.id}
    assert "guide:first-steps|title" not in entries, "already translated and current: not exported"
    summary = entries["platform:facebook|summary"]
    assert any("Shown on the page platforms/facebook.md" in c for c in summary.auto_comments)
    assert summary.locations[0][0] == "content/toolkits/platforms/facebook.yml"
    quiz = next(m for c, m in entries.items() if c.startswith("platform:youtube|"))
    tokens = next(m for m in entries.values() if "{ward}" in m.id)
    before = run_cli(project, "translations", "status", "--lang", "cy", "--summary").stdout
    summary.string = "Cyfieithiad prawf o'r crynodeb."
    quiz.string = "Cwestiwn prawf?"
    tokens.string = tokens.id.replace("{ward}", "WARD")  # loses its place token: must be rejected
    with exported.open("wb") as handle:
        write_po(handle, catalogue)
    result = run_cli(project, "translations", "import", str(exported), "--to", "council")
    assert result.returncode == 1
    assert "imported 2 translations into cy" in result.stdout
    (rejected,) = result.stderr.splitlines()
    assert re.match(
        rf"^{re.escape(str(exported))}:\d+: msgstr: the translation must keep the place tokens \{{ward\}}", rejected
    )
    written = (project / "council/translations/cy/platform/facebook.yml").read_text(encoding="utf-8")
    assert written.startswith(
        "# yaml-language-server: $schema=../../../../content/toolkits/schemas/translation.schema.json"
    )
    assert "Cyfieithiad prawf o'r crynodeb." in written
    after = run_cli(project, "translations", "status", "--lang", "cy", "--summary").stdout
    count = lambda text: int(re.search(r"(\d+) missing", text).group(1))  # noqa: E731
    assert count(before) - count(after) == 2
    # The English changes after export: importing the old file again is refused, located.
    platform = project / "content/toolkits/platforms/facebook.yml"
    text = platform.read_text(encoding="utf-8").replace("summary: >-\n  ", "summary: >-\n  Changed. ", 1)
    platform.write_text(text, encoding="utf-8")
    again = run_cli(project, "translations", "import", str(exported), "--to", "council")
    assert re.search(
        r"cy\.po:\d+: msgid: the English of platform:facebook summary has changed since this file was exported",
        again.stderr,
    )


def test_welsh_dates_and_plural_forms() -> None:
    (_en, cy) = make_languages(["en", "cy"], {"cy": [REPO / "overrides/locale/cy.po"]})
    assert cy.date(dt.date(2026, 11, 30)) == "30 Tachwedd 2026"
    assert cy.date(dt.date(2027, 3, 5)) == "5 Mawrth 2027"
    assert Language("en").date(dt.date(2026, 11, 30)) == "30 November 2026"
    assert cy.catalogue is not None and cy.catalogue.num_plurals == 6


def test_scripts_get_plural_forms_by_cldr_category(tmp_path: Path) -> None:
    po = tmp_path / "cy.po"
    po.write_text(
        COUNCIL_PO
        + '\n#: docs/assets/hub/tool-finder.js:1\nmsgid "{count} tool"\nmsgid_plural "{count} tools"\n'
        + "".join(f'msgstr[{i}] "form{i}"\n' for i in range(6)),
        encoding="utf-8",
    )
    (cy,) = make_languages(["cy"], {"cy": [po]})
    strings = script_strings(cy)
    assert strings["{count} tool"] == {
        "zero": "form0",
        "one": "form1",
        "two": "form2",
        "few": "form3",
        "many": "form4",
        "other": "form5",
    }
    assert "Platforms" not in strings, "only the scripts' words go to the scripts"
