"""The demo roster beyond the people in portfolio.EXPERTS: invented, deterministic, marked "(demo)" when loaded.

The documents name administrations, not people, so every person here is invented; the mix follows
the programme's figures (officials from EU member-state administrations, most from Spain, Portugal,
the Netherlands, Belgium, Austria and Sweden, and peers from partner administrations in Mexico,
Argentina and Brazil).
"""

from __future__ import annotations

import random
import unicodedata

EXTRA_INSTITUTIONS = [
    {"key": "fr-ofpra", "name": "French Office for the Protection of Refugees and Stateless Persons",
     "acronym": "OFPRA", "country": "FR", "kind": "ms_administration"},
    {"key": "fr-dgef", "name": "Directorate-General for Foreigners in France, Ministry of the Interior",
     "acronym": "DGEF", "country": "FR", "kind": "ms_administration"},
    {"key": "se-migrationsverket", "name": "Swedish Migration Agency", "acronym": "Migrationsverket",
     "country": "SE", "kind": "ms_administration"},
    {"key": "be-fedasil", "name": "Federal Agency for the Reception of Asylum Seekers", "acronym": "Fedasil",
     "country": "BE", "kind": "ms_administration"},
    {"key": "pl-udsc", "name": "Office for Foreigners of Poland", "acronym": "UDSC", "country": "PL",
     "kind": "ms_administration"},
    {"key": "mx-inm", "name": "National Institute of Migration of Mexico", "acronym": "INM", "country": "MX",
     "kind": "partner_administration"},
    {"key": "ar-dnm", "name": "National Directorate of Migration of Argentina", "acronym": "DNM", "country": "AR",
     "kind": "partner_administration"},
    {"key": "br-pf", "name": "Federal Police of Brazil", "acronym": "PF", "country": "BR",
     "kind": "partner_administration"},
]

# country -> (how many, native language, institution keys, type)
PLAN = [
    ("ES", 26, "es", ["es-mir", "es-mismi", "es-maec", "es-fge", "es-comillas"], "ms_official"),
    ("PT", 12, "pt", ["pt-sef", "pt-pgr"], "ms_official"),
    ("NL", 10, "nl", ["nl-ind", "nl-mfa"], "ms_official"),
    ("BE", 10, "fr", ["be-guardianship", "be-fedasil"], "ms_official"),
    ("AT", 8, "de", ["at-bmi"], "ms_official"),
    ("SE", 8, "sv", ["se-migrationsverket", "se-ngo"], "ms_official"),
    ("FR", 8, "fr", ["fr-ofpra", "fr-dgef"], "ms_official"),
    ("DE", 6, "de", ["de-bamf"], "ms_official"),
    ("IT", 6, "it", ["it-mi", "it-inmp"], "ms_official"),
    ("PL", 4, "pl", ["pl-udsc"], "ms_official"),
    ("MX", 9, "es", ["mx-inm"], "partner_peer"),
    ("AR", 9, "es", ["ar-dnm", "ar-unne"], "partner_peer"),
    ("BR", 9, "pt", ["br-pf"], "partner_peer"),
]

NAMES = {
    "es": (["Ana", "Carmen", "Lucía", "Marta", "Elena", "Pilar", "Isabel", "Raquel", "Beatriz", "Nuria", "Sofía",
            "Javier", "Carlos", "Miguel", "Antonio", "Pablo", "Sergio", "Andrés", "Diego", "Jorge", "Luis", "Tomás"],
           ["García", "Martínez", "López", "Sánchez", "Romero", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos",
            "Gil", "Serrano", "Molina", "Ortega", "Delgado", "Castro", "Morales", "Iglesias", "Herrera", "Medina"]),
    "pt": (["Ana", "Mariana", "Inês", "Beatriz", "Joana", "Carla", "Rita", "João", "Pedro", "Rui", "Tiago",
            "Miguel", "Paulo", "Bruno", "Luísa", "Fernanda", "Thiago", "Rafael"],
           ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Almeida",
            "Carvalho", "Gomes", "Ribeiro", "Lopes", "Barbosa"]),
    "nl": (["Anne", "Sanne", "Lotte", "Eva", "Femke", "Daan", "Bram", "Joris", "Ruben", "Pieter", "Thijs"],
           ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos"]),
    "fr": (["Claire", "Camille", "Julie", "Sophie", "Élodie", "Nathalie", "Thomas", "Nicolas", "Julien",
            "Olivier", "Mathieu", "Laurent"],
           ["Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel", "Peeters",
            "Lambert", "Dupont"]),
    "de": (["Anna", "Katharina", "Julia", "Sabine", "Lena", "Stefan", "Markus", "Thomas", "Andreas", "Florian"],
           ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Gruber", "Huber", "Bauer", "Hofer"]),
    "sv": (["Anna", "Maria", "Karin", "Sara", "Emma", "Erik", "Lars", "Johan", "Anders", "Per"],
           ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson"]),
    "it": (["Giulia", "Francesca", "Chiara", "Sara", "Marco", "Luca", "Andrea", "Matteo", "Alessandro"],
           ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino"]),
    "pl": (["Anna", "Katarzyna", "Magdalena", "Piotr", "Tomasz", "Paweł"],
           ["Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski"]),
}
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
