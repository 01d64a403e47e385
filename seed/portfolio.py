"""Latin America and Caribbean portfolio of MIEUX+, from the programme's public documents (shared/seeds).

The tables are seed/data/portfolio/*.json; seed/data/README.md names the source documents and says
what each field holds. Whatever the documents do not say is invented and named in the entry's
"invented" list ("*" there means the whole entry is invented); `seed/demo.py` loads them.
"""

from __future__ import annotations

from .tables import table

INSTITUTIONS: list[dict] = table("portfolio/institutions.json")  # every institution referenced, each once
ACTIONS: list[dict] = table("portfolio/actions.json")  # with their activities, deliverables and final reports
EXPERTS: list[dict] = table("portfolio/experts.json")  # invented people, spread over the expert administrations
REQUESTS: list[dict] = table("portfolio/requests.json")  # open requests, invented
