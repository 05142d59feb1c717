"""Shipped source definitions for what the secretariats publish.

Each preset says whether its format is **verified** (a recorded real
response exists and the connector reads it: ``../shared/samples``) or only
**documented** (known from the publisher's documentation or code, never
seen here). Sources made from a preset start disabled: an admin enables
them once the publisher's terms are cleared (:attr:`Preset.terms`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from blgcal.domain.harvest.sources import OnVanish, SourceKind

INFORMEA = ("https://odata.informea.org/informea.svc/Meetings?$expand=title,description"
            "&$format=json&$top=100&$skip=0&$filter=treaty%20eq%20'{treaty}'")
INFORMEA_TERMS = ("Displaying InforMEA data on a third-party site needs an agreement with"
                  " InforMEA's knowledge-management project.")
CBD = ("https://api.cbd.int/api/v2013/index/select?q=" + quote("schema_s:meeting AND NOT version_s:*")
       + "&fq=" + quote("_state_s:public") + "&sort=" + quote("startDate_dt asc")
       + "&rows=100&start=0&wt=json")
# (treaty as InforMEA names it, blgcal body)
INFORMEA_TREATIES = (("cbd", "cbd"), ("cites", "cites"), ("cms", "cms"), ("ramsar", "ramsar"),
                     ("whc", "whc"), ("itpgrfa", "itpgrfa"), ("icrw", "iwc"))


@dataclass(frozen=True, slots=True)
class Preset:
    """A source definition; ``{category}`` in the URL is filled in when the source is added."""

    name: str
    title: str
    body: str
    kind: SourceKind
    url: str
    verified: bool
    evidence: str
    terms: str = ""
    default_kind: str | None = None
    exclude_titles: str | None = None
    on_vanish: OnVanish = OnVanish.CANCEL

    @property
    def needs_category(self) -> bool:
        return "{category}" in self.url

    def url_for(self, category: str | None = None) -> str:
        """The URL, with the category id given where the preset needs one."""
        if self.needs_category:
            if not category or not category.isdigit():
                raise ValueError(f"preset {self.name!r} needs a numeric category id (--category)")
            return self.url.replace("{category}", category)
        return self.url


PRESETS: tuple[Preset, ...] = (
    *(Preset(f"informea-{treaty}", f"InforMEA meetings of the {body.upper()}", body,
             SourceKind.INFORMEA, INFORMEA.format(treaty=treaty), True,
             "OData verbose JSON read from two recorded real responses (d.results, nested"
             " results, /Date()/); the endpoint itself not reached from here",
             terms=INFORMEA_TERMS)
      for treaty, body in INFORMEA_TREATIES),
    Preset("cbd-meetings", "The CBD's meetings index (with the Cartagena and Nagoya protocols)",
           "cbd", SourceKind.CBD, CBD, True,
           "Solr documents read from a recorded dump by the CBD Secretariat (23 meetings); the"
           " envelope (response.numFound, docs) as Solr documents it"),
    Preset("indico-un", "An Indico.UN category (UNEP, UNFCCC sessions...), by category id",
           "unfccc", SourceKind.ICS, "https://indico.un.org/category/{category}/events.ics", True,
           "iCalendar read from a recorded Indico.UN event export; category exports share its"
           " format (UTC times, no zone)",
           exclude_titles="*Conference Invitees*\n*registration*\n*Invitees*"),
    Preset("ipbes-ical", "IPBES events (iCalendar)", "ipbes", SourceKind.ICS,
           "https://ipbes.net/events/feed/ical", False,
           "documented only: listed by a third party, no recorded response"),
)


def preset(name: str) -> Preset:
    """The preset called *name*; KeyError names the known ones."""
    for found in PRESETS:
        if found.name == name:
            return found
    raise KeyError(f"no preset {name!r}; known: {', '.join(p.name for p in PRESETS)}")
