"""A council's fork of the hub that uses every overlay feature: settings, hide, replace, override,
new items, own pages, a template and a theme override, its own learning log.

Shared by the council tests, the merge test and the README walk-through, so all three exercise
the same fork.
"""

from __future__ import annotations

from pathlib import Path

from .conftest import make_project

SETTINGS = """\
# yaml-language-server: $schema=content/toolkits/schemas/council.schema.json
name: Cardiff Council
short_name: Cardiff
area: Cardiff
nation: wales
logo: council/assets/logo.svg
logo_alt: Cardiff Council
colours:
  primary: "#0b4a6f"
  accent: "#7a2e00"
contact:
  name: Member Development Team
  email: members@cardiff.example
site_url: https://cardiff.example/hub/
repo_url: https://github.com/cardiff-example/councillor-hub
official_accounts:
  - platform: facebook
    name: Cardiff Council on Facebook
    url: https://www.facebook.com/cardiffcouncil
places:
  wards: [Adamsdown, Butetown, Cathays]
  streets: [Queen Street, Albany Road]
  landmarks: [Roath Park]
elections:
  - name: Cardiff Council elections, 6 May 2027
    notice_of_election: 2027-03-26
    polling_day: 2027-05-06
nav:
  - title: Who to contact
    page: contacts.md
"""

OVERLAY = """\
# yaml-language-server: $schema=../content/toolkits/schemas/overlay.schema.json
hide:
  - platform:x
  - ref: tool:hootsuite
    replace_with: tool:buffer
    reason: We use Buffer.
override:
  tool:canva:
    cost_note: Cardiff Council has Canva for Teams. Ask the communications team for a seat.
  platform:facebook:
    at_a_glance:
      residents: Most Cardiff households, across every age group.
"""

TOOLS = """\
# yaml-language-server: $schema=../../content/toolkits/schemas/tools.schema.json
tools:
  - id: cardiff-digital-champions
    name: Cardiff Digital Champions
    url: https://cardiff.example/digital-champions
    category: listening
    summary: Volunteers in every Cardiff library who help residents get online.
    cost: free
    cost_note: Free for residents and councillors.
    difficulty: beginner
    getting_started:
      - title: Book a session
        detail: Ask at any Cardiff library, or phone the council.
      - title: Bring your phone
        detail: A champion will set it up with you.
    last_reviewed: 2026-11-20
"""

GUIDE = """\
# yaml-language-server: $schema=../../../content/toolkits/schemas/guide.schema.json
id: who-helps-in-cardiff
title: Who helps councillors in Cardiff
audience: councillors
summary: The teams at Cardiff Council who can help you use social media in your role.
sections:
  - id: teams
    heading: The teams
    paragraphs:
      - Member Development runs the programme. Communications can help with posts about council services.
sources:
  - title: Councillors
    publisher: Cardiff Council
    url: https://cardiff.example/councillors
    accessed: 2026-11-20
last_reviewed: 2026-11-20
"""

FEEDS = """\
# yaml-language-server: $schema=../../content/toolkits/schemas/feeds.schema.json
feeds:
  - id: cardiff-facilitator
    name: Sam Facilitator
    url: https://blog.cardiff.example/feed/
    licence: CC BY 4.0
    consent: Email from Sam, 2026-11-01
"""

CONTACTS = "# Who to contact\n\nMember Development Team: members@cardiff.example\n"
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'
# A template override: the hidden-item page says which council chose to leave it out.
HIDDEN_TEMPLATE = (
    '# Not used in Cardiff\n\n{{ _("Cardiff Council does not use this.") }} [{{ _("Home") }}]({{ home }})\n'
)


def write_overlay(root: Path) -> Path:
    """Write the council's settings and overlay into the project at ``root``."""
    files = {
        "council.yml": SETTINGS,
        "council/overlay.yml": OVERLAY,
        "council/content/tools.yml": TOOLS,
        "council/content/guides/who-helps-in-cardiff.yml": GUIDE,
        "council/learning-log/feeds.yml": FEEDS,
        "council/docs/contacts.md": CONTACTS,
        "council/assets/logo.svg": LOGO,
        "council/templates/hidden.md.j2": HIDDEN_TEMPLATE,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def make_fork(dest: Path) -> Path:
    """A copy of upstream with the Cardiff overlay."""
    return write_overlay(make_project(dest))
