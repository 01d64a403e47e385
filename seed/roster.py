"""The demo roster beyond the people in portfolio.EXPERTS: invented, deterministic, marked "(demo)" when loaded.

The documents name administrations, not people, so every person here is invented; the mix follows
the programme's figures (officials from EU member-state administrations, most from Spain, Portugal,
the Netherlands, Belgium, Austria and Sweden, and peers from partner administrations in Mexico,
Argentina and Brazil).
"""

from __future__ import annotations

import random
import unicodedata

from .tables import table

# The roster's tables are seed/data/roster/*.json (seed/data/README.md says what each holds).
EXTRA_INSTITUTIONS: list[dict] = table("roster/institutions.json")
# country -> (how many, native language, institution keys, type)
PLAN = [(row["country"], row["experts"], row["native"], row["institutions"], row["type"])
        for row in table("roster/plan.json")]
# native language -> (first names, surnames)
NAMES = {language: (names["first"], names["last"]) for language, names in table("roster/names.json").items()}
FEMALE_HINT = ("a", "e", "ía", "ne", "ie", "Carmen", "Isabel", "Inês", "Raquel", "Nuria", "Élodie", "Claire")

# Drawn as six, as before the sixth area became the first one's sub-topics, so the roster stays the same people.
THEMES = ["irregular_migration_thb", "border_visa_som", "legal_migration_mobility", "migration_development",
          "international_protection_asylum", "horizontal"]
FIRST_AREA = "irregular_migration_thb"
LAC = ["MX", "GT", "SV", "HN", "NI", "CR", "PA", "CO", "EC", "PE", "BO", "PY", "AR", "BR", "CL", "UY", "DO"]
ELSEWHERE = ["MA", "TN", "SN", "GH", "KE", "ET", "PH", "TH", "LK", "GE", "AM", "UA", "JO", "LB"]
LEVELS = ["B1", "B2", "C1", "C2"]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _gender(first: str) -> str:
    return "female" if first.endswith(("a", "e", "ía")) and first not in ("Luca", "Andrea") or first in FEMALE_HINT \
        else "male"


def roster(seed: int = 2026) -> list[dict]:
    """About 125 invented experts, the same every time."""
    rng = random.Random(seed)
    people, used = [], set()
    for country, count, native, institutions, kind in PLAN:
        firsts, lasts = NAMES[native if native in NAMES else "es"]
        for n in range(count):
            while True:
                first, last = rng.choice(firsts), rng.choice(lasts)
                second = rng.choice(lasts) if native == "es" else None
                name = f"{first} {last}" + (f" {second}" if second and second != last else "")
                if name not in used:
                    used.add(name)
                    break
            languages = {native: "C2", "en": rng.choice(["B2", "C1", "C1", "C2"])}
            if native != "es":
                languages["es"] = rng.choice(LEVELS)
            if native not in ("fr", "pt"):
                languages[rng.choice(["fr", "pt"])] = rng.choice(LEVELS[:3])
            themes: dict[str, int] = {}
            for code in rng.sample(THEMES, rng.choice([1, 2, 2, 3])):
                code = FIRST_AREA if code == "border_visa_som" else code  # one of its sub-topics: the higher level
                themes[code] = max(themes.get(code, 0), rng.choice([1, 2, 2, 3, 3]))
            worked = rng.sample(LAC, rng.choice([0, 1, 2, 3, 4])) + rng.sample(ELSEWHERE, rng.choice([0, 0, 1, 2]))
            unavailable = []
            if rng.random() < 0.2:
                month = rng.randint(1, 11)
                unavailable.append((f"2027-{month:02d}-01", f"2027-{month:02d}-{rng.randint(10, 28):02d}",
                                    rng.choice(["annual leave", "training course", "national election duty"])))
            people.append({
                "name": name,
                "email": f"{_ascii(first)}.{_ascii(last)}.{country.lower()}{n}@demo.peerflow.org",
                "gender": _gender(first),
                "nationality": country,
                "institution": rng.choice(institutions),
                "country": country,
                "type": "academic" if institutions[0] == "es-comillas" else kind,
                "languages": languages,
                "themes": themes,
                "countries_worked": worked,
                "years_experience": rng.randint(4, 30),
                "max_days_per_year": rng.choice([40, 50, 60, 60, 80]),
                "status": rng.choices(["active", "approved", "nominated", "inactive"], [80, 10, 6, 4])[0],
                "unavailable": unavailable,
            })
    return people
