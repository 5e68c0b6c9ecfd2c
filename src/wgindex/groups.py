"""The working groups of the Conference of the Parties: a data table, extend it freely."""

from __future__ import annotations

# symbol prefix -> (Chinese names as printed, English name, short label)
GROUPS: dict[str, dict] = {
    "CTOC/COP/WG.2": {"names": ["技术援助工作组", "技术援助问题工作组"],
                      "en": "Working Group on Technical Assistance", "short": "WG.2"},
    "CTOC/COP/WG.3": {"names": ["国际合作工作组", "国际合作问题工作组"],
                      "en": "Working Group on International Cooperation", "short": "WG.3"},
    "CTOC/COP/WG.4": {"names": ["贩运人口问题工作组", "贩运人口工作组"],
                      "en": "Working Group on Trafficking in Persons", "short": "WG.4"},
    "CTOC/COP/WG.6": {"names": ["枪支问题工作组", "火器问题工作组", "枪支工作组"],
                      "en": "Working Group on Firearms", "short": "WG.6"},
    "CTOC/COP/WG.7": {"names": ["偷运移民问题工作组", "偷运移民工作组"],
                      "en": "Working Group on the Smuggling of Migrants", "short": "WG.7"},
}


def all_names() -> list[tuple[str, str]]:
    """(name, group symbol) pairs, longest name first so that matching is unambiguous."""
    pairs = [(n, g) for g, info in GROUPS.items() for n in info["names"]]
    return sorted(pairs, key=lambda p: (-len(p[0]), p[0]))


def chinese_name(group: str) -> str:
    info = GROUPS.get(group)
    return info["names"][0] if info else group


def short(group: str) -> str:
    info = GROUPS.get(group)
    return info["short"] if info else group.rsplit("/", 1)[-1]
