"""The council's settings: one file, ``council.yml`` at the project root.

A council that runs its own hub edits this file and its overlay folder (``council/``), and
nothing else, so upstream improvements merge without conflicts. Every field has a neutral
default, which is what the upstream project ships: a hub with no ``council.yml`` at all builds
exactly like one with the shipped file.

Upstream never edits ``council.yml`` after it is created (new settings get defaults in code),
which is what keeps a fork's copy of it conflict-free.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from .fields import RefersTo
from .models import ClockTime, Id, Model, Nation, Text, WebUrl

HexColour = Annotated[
    str,
    StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"),
    Field(description="A colour as #rrggbb, for example #1d4f76."),
]
LanguageCode = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}$"),
    Field(description="An ISO 639 language code: en for English, cy for Welsh."),
]
# WCAG 2.2 AA, 1.4.3: normal text needs 4.5:1 against its background.
MIN_CONTRAST = 4.5


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of ``colour`` against white (1 to 21)."""
    return round(1.05 / (_luminance(colour) + 0.05), 2)


def mix(colour: str, other: str, share: float) -> str:
    """``colour`` moved ``share`` of the way towards ``other`` (for lighter and darker shades)."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


class Colours(Model):
    """The hub's two colours. White text sits on the primary colour (the header), and both are
    used for links on white, so each needs 4.5:1 contrast with white (WCAG 1.4.3)."""

    primary: HexColour = "#1d4f76"
    accent: HexColour = "#8a3b00"

    @field_validator("primary", "accent")
    @classmethod
    def _readable_on_white(cls, value: str) -> str:
        ratio = contrast_with_white(value)
        if ratio < MIN_CONTRAST:
            raise ValueError(
                f"{value} has a contrast of {ratio}:1 with white, and text needs at least {MIN_CONTRAST}:1 "
                f"(WCAG 1.4.3); choose a darker shade, such as {_darkest_passing(value)}"
            )
        return value.lower()


def _darkest_passing(colour: str) -> str:
    for step in range(1, 21):
        candidate = mix(colour, "#000000", step / 20)
        if contrast_with_white(candidate) >= MIN_CONTRAST:
            return candidate
    return "#000000"


class Contact(Model):
    """Who councillors and residents contact about the hub."""

    name: Text = Field(
        default="The hub's maintainers", description="A team, not a person, so it survives staff changes."
    )
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(default=None, max_length=40)
    url: WebUrl | None = None


class OfficialAccount(Model):
    """One of the council's own accounts, shown on that platform's page."""

    platform: Annotated[Id, RefersTo("platform")]
    name: Text = Field(description="The account's name as people see it, e.g. @CardiffCouncil.")
    url: WebUrl


class Places(Model):
    """Real places, used wherever the hub's examples name one (``{ward}``, ``{town}``, ...).

    Empty lists fall back to the upstream made-up names, so a council can fill them in gradually.
    """

    wards: list[Text] = Field(default_factory=list)
    towns: list[Text] = Field(default_factory=list)
    villages: list[Text] = Field(default_factory=list)
    neighbourhoods: list[Text] = Field(default_factory=list, description="Estates and neighbourhoods.")
    streets: list[Text] = Field(default_factory=list)
    landmarks: list[Text] = Field(default_factory=list, description="Parks, libraries, halls, markets.")


class Election(Model):
    """A pre-election period: from the notice of election to polling day, both included."""

    name: Text = Field(description="For example: Cardiff Council elections, 6 May 2027.")
    notice_of_election: dt.date
    polling_day: dt.date

    @model_validator(mode="after")
    def _in_order(self) -> Election:
        if self.notice_of_election > self.polling_day:
            raise ValueError("notice_of_election must be on or before polling_day")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.notice_of_election <= day <= self.polling_day


class NavLink(Model):
    """One of the council's own pages (in ``council/docs/``), added to the menu."""

    title: Text
    page: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_./-]+\.md$")] = Field(
        description="The page's file in council/docs, e.g. contacts.md."
    )


class ProgrammeSettings(Model):
    """Where the private programme records (cohorts, mentors, meetings, surveys) are kept."""

    private_dir: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.][A-Za-z0-9_./-]*$")] = Field(
        default="private",
        description="A folder for the programme database, relative to the project. It is git-ignored; "
        "it must not be inside content/, docs/, council/ or anything the site build reads.",
    )
    retention_months: int = Field(
        default=24, ge=1, le=120, description="Records are erased this many months after a cohort's last sprint."
    )


class WorkshopSettings(Model):
    """How the council runs its workshop days: the running order and the printed packs use these."""

    start: ClockTime = Field(default="09:30", description="When a workshop starts, unless a facilitator picks a time.")
    setup_minutes: int = Field(
        default=30,
        ge=0,
        le=120,
        description="How early facilitators arrive to set up the room and test the screen and wifi.",
    )
    lunch_minutes: int = Field(default=45, ge=15, le=120, description="How long lunch is on a full day.")
    half_day_minutes: int = Field(
        default=240, ge=60, le=360, description="The longest a half-day may be, from start to finish."
    )
    day_minutes: int = Field(
        default=450, ge=120, le=600, description="The longest a full day may be, from start to finish, with lunch."
    )


class Localised(Model):
    """The settings' words in another language (for a bilingual hub)."""

    name: Text | None = None
    short_name: Text | None = None
    site_name: Text | None = None
    area: Text | None = None
    tagline: Text | None = None


class CouncilSettings(Model):
    """council.yml: everything that makes the hub a particular council's."""

    name: Text | None = Field(
        default=None, description="The council's name, e.g. Cardiff Council. Leave out for a national hub."
    )
    short_name: Text | None = Field(default=None, description="A short form for tight spaces, e.g. Cardiff.")
    site_name: Text | None = Field(default=None, description="The hub's title; default: '<short name> Councillor Hub'.")
    tagline: Text = "Social media and online networks for councillors"
    area: Text = Field(default="Anytown", description="The area the council covers, as residents say it.")
    nation: Nation | None = Field(
        default=None, description="england, wales, scotland or northern-ireland; leave out for a UK-wide hub."
    )
    logo: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_./-]+\.(svg|png)$")] | None = Field(
        default=None, description="An SVG or PNG in your overlay, e.g. council/assets/logo.svg."
    )
    logo_alt: Text | None = None
    colours: Colours = Field(default_factory=Colours)
    contact: Contact = Field(default_factory=Contact)
    site_url: WebUrl = "https://example.org/councillor-hub/"
    repo_url: WebUrl = "https://github.com/councillor-hub/councillor-hub"
    edit_branch: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._/-]+$")] = "main"
    official_accounts: list[OfficialAccount] = Field(default_factory=list)
    places: Places = Field(default_factory=Places)
    elections: list[Election] = Field(default_factory=list)
    languages: list[LanguageCode] = Field(
        default_factory=lambda: ["en"], min_length=1, description="The first is the default, e.g. [en, cy]."
    )
    translations: dict[LanguageCode, Localised] = Field(
        default_factory=dict,
        description="The settings' own words in each other language, e.g. cy: {name: Cyngor Caerdydd}.",
    )
    nav: list[NavLink] = Field(default_factory=list)
    programme: ProgrammeSettings = Field(default_factory=ProgrammeSettings)
    workshops: WorkshopSettings = Field(default_factory=WorkshopSettings)

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("each language once")
        return value

    @property
    def is_council(self) -> bool:
        return self.name is not None

    def hub_name(self, language: str | None = None) -> str:
        local = self.translations.get(language or "") if language else None
        if local and local.site_name:
            return local.site_name
        if self.site_name:
            return self.site_name
        short = (local.short_name if local else None) or self.short_name or (local.name if local else None) or self.name
        return f"{short} Councillor Hub" if short else "Councillor Hub"

    def council_name(self, language: str | None = None) -> str | None:
        local = self.translations.get(language or "") if language else None
        return (local.name if local else None) or self.name

    def pre_election(self, day: dt.date) -> Election | None:
        """The election whose pre-election period includes ``day``, if any."""
        return next((e for e in self.elections if e.covers(day)), None)

    @property
    def default_language(self) -> str:
        return self.languages[0]


DEFAULT_SETTINGS = CouncilSettings()
