"""Which countries make up each of the five world regions that market reports use.

This is geography, not market data: it lets the Regions page draw a region's value on
every one of its countries with Plotly's built-in world map (``locationmode="ISO-3"``,
geometry shipped inside plotly.js, so nothing is downloaded).

Codes are ISO 3166-1 alpha-3, as plotly.js knows them, plus the ``X..`` codes it uses for
disputed areas (each lies inside one region whichever claim holds, so it gets that
region rather than a grey hole). Where conventions differ, the common market-research
one is followed:
- North America: the United States, Canada, Mexico, Greenland and the US Caribbean
  territories;
- Latin America: Central and South America and the rest of the Caribbean;
- Europe: includes Russia, Turkey and the Caucasus;
- Asia-Pacific: includes Central Asia, Afghanistan, Pakistan and the Pacific islands;
- Middle East & Africa: Iran, Israel, the Arab world and all of Africa.
Antarctica and uninhabited islands belong to no region.
"""

from __future__ import annotations

from types import MappingProxyType

from market.assumptions import slugify

__all__ = ["REGIONS", "REGION_LABEL_POSITIONS", "countries_for", "region_key"]


def _codes(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_NORTH_AMERICA = _codes("BMU CAN GRL MEX PRI SPM USA VIR")
_EUROPE = _codes(
    "ALA ALB AND ARM AUT AZE BEL BGR BIH BLR CHE CYP CZE DEU DNK ESP EST FIN FRA FRO "
    "GBR GEO GGY GIB GRC HRV HUN IMN IRL ISL ITA JEY LIE LTU LUX LVA MCO MDA MKD MLT "
    "MNE NLD NOR POL PRT ROU RUS SJM SMR SRB SVK SVN SWE TUR UKR VAT"
)
_ASIA_PACIFIC = _codes(
    "AFG ASM AUS BGD BRN BTN CCK CHN COK CXR FJI FSM GUM HKG IDN IND JPN KAZ KGZ KHM "
    "KIR KOR LAO LKA MAC MDV MHL MMR MNG MNP MYS NCL NFK NIU NPL NRU NZL PAK PCN PHL "
    "PLW PNG PRK PYF SGP SLB THA TJK TKL TKM TLS TON TUV TWN UZB VNM VUT WLF WSM XAC "
    "XAP XJK"
)
_LATIN_AMERICA = _codes(
    "ABW AIA ARG ATG BES BHS BLM BLZ BOL BRA BRB CHL COL CRI CUB CUW CYM DMA DOM ECU "
    "FLK GLP GRD GTM GUF GUY HND HTI JAM KNA LCA MAF MSR MTQ NIC PAN PER PRY SLV SUR "
    "SXM TCA TTO URY VCT VEN VGB"
)
_MIDDLE_EAST_AFRICA = _codes(
    "AGO ARE BDI BEN BFA BHR BWA CAF CIV CMR COD COG COM CPV DJI DZA EGY ERI ESH ETH "
    "GAB GHA GIN GMB GNB GNQ IRN IRQ ISR JOR KEN KWT LBN LBR LBY LSO MAR MDG MLI MOZ "
    "MRT MUS MWI MYT NAM NER NGA OMN PSE QAT REU RWA SAU SDN SEN SHN SLE SOM SSD STP "
    "SWZ SYC SYR TCD TGO TUN TZA UGA XBT XHT XIT YEM ZAF ZMB ZWE"
)

REGIONS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "North America": _NORTH_AMERICA,
        "Europe": _EUROPE,
        "Asia-Pacific": _ASIA_PACIFIC,
        "Latin America": _LATIN_AMERICA,
        "Middle East & Africa": _MIDDLE_EAST_AFRICA,
    }
)
"""Canonical region name -> ISO-3 codes of its countries and territories."""

REGION_LABEL_POSITIONS: MappingProxyType[str, tuple[float, float]] = MappingProxyType(
    {
        "North America": (-100.0, 45.0),
        "Europe": (15.0, 52.0),
        "Asia-Pacific": (105.0, 25.0),
        "Latin America": (-60.0, -15.0),
        "Middle East & Africa": (20.0, -2.0),
    }
)
"""Canonical region name -> (longitude, latitude) where the map writes its label: on land,
inside the region, away from the other labels."""

_FILLER_WORDS = frozenset({"and", "the", "region"})

# Spellings seen in market reports, normalised by _normal, for each canonical name.
_ALIASES: dict[str, str] = {
    "north-america": "North America",
    "northern-america": "North America",
    "na": "North America",
    "europe": "Europe",
    "asia-pacific": "Asia-Pacific",
    "asia-pac": "Asia-Pacific",
    "asiapacific": "Asia-Pacific",
    "apac": "Asia-Pacific",
    "asia": "Asia-Pacific",
    "latin-america": "Latin America",
    "latin-america-caribbean": "Latin America",
    "latam": "Latin America",
    "south-america": "Latin America",
    "central-south-america": "Latin America",
    "middle-east-africa": "Middle East & Africa",
    "mea": "Middle East & Africa",
    "me-a": "Middle East & Africa",
}


def _normal(name: str) -> str:
    """A slug without filler words: "Middle East and Africa" -> ``middle-east-africa``."""
    return "-".join(w for w in slugify(name).split("-") if w not in _FILLER_WORDS)


def region_key(name: str) -> str | None:
    """The canonical region a display name means (``"APAC"`` -> ``"Asia-Pacific"``), or None.

    Matching is on slugs, so case, spaces, ``&``, "and" and "the" do not matter.
    """
    return _ALIASES.get(_normal(name))


def countries_for(region_name: str) -> tuple[str, ...]:
    """ISO-3 codes of the countries in a region; an unknown region has none (the map says so)."""
    key = region_key(region_name)
    return REGIONS[key] if key else ()
