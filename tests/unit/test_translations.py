"""The catalogues: complete in every language, in step with the code, and used by the pages.

- every entry of the Spanish and French catalogues is translated (plural forms too), none is fuzzy, and
  each translation keeps the placeholders of its English text;
- the committed template (messages.pot) holds exactly what the code and templates mark today: a string
  added without `make messages` fails here, named;
- every enum shown through the `label` filter has an English label to translate;
- a page asked for in Spanish or French is shown in it (the sign-in page), WTForms' messages included.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "workflow" / "translations"
POT = TRANSLATIONS / "messages.pot"
LOCALES = ("es", "fr")
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def catalogue(locale: str) -> Catalog:
    return read(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)


def key(message) -> tuple:
    """What identifies an entry: its context and its (singular, plural) text."""
    return message.context, message.id


def entries(cat: Catalog) -> dict[tuple, object]:
    return {key(m): m for m in cat if m.id}


def placeholders(text: str) -> set[tuple[str | None, str]]:
    """The %-placeholders of a python-format string, as (name, conversion); '%%' is not one."""
    return {(name or None, conv) for name, conv in PLACEHOLDER.findall(text) if conv != "%"}


def shown(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


# --- 1. Complete ----------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_every_entry_is_translated_not_fuzzy_and_keeps_its_placeholders(locale: str) -> None:
    cat = catalogue(locale)
    template = entries(read(POT))
    problems: list[str] = []
    missing = sorted(template.keys() - entries(cat).keys(), key=str)
    problems += [f"not in {locale}/messages.po (run `make messages`): {k[1]!r}" for k in missing]
    for message in cat:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {shown(message)!r}")
        forms = list(message.string) if message.pluralizable else [message.string]
        if message.pluralizable and len(forms) != cat.num_plurals:
            problems.append(f"{len(forms)} plural forms instead of {cat.num_plurals}: {shown(message)!r}")
        if not all(isinstance(form, str) and form.strip() for form in forms):
            problems.append(f"untranslated: {shown(message)!r}")
            continue
        if not message.python_format:
            continue
        if message.pluralizable:
            allowed = placeholders(message.id[0]) | placeholders(message.id[1])
            needed = {p for p in placeholders(message.id[1]) if p[0] not in ("num", None)}
            for form in forms:
                if not placeholders(form) <= allowed or not needed <= placeholders(form):
                    problems.append(f"placeholders differ: {shown(message)!r} -> {form!r}")
        elif placeholders(forms[0]) != placeholders(message.id):
            problems.append(f"placeholders differ: {message.id!r} -> {forms[0]!r}")
    problems += [f"{message.id!r}: {error}" for message, errors in cat.check() for error in errors]
    assert not problems, f"{len(problems)} problems in the {locale} catalogue:\n" + "\n".join(problems[:60])


# --- 2. In step with the code ------------------------------------------------------------------


def _makefile_keywords() -> list[str]:
    """The extraction keywords, read from the Makefile so that `make messages` and this test agree."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if line.startswith("KEYWORDS"))
    return line.split(":=", 1)[1].split()


def test_the_committed_template_holds_every_marked_string_and_nothing_else(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "--quiet", "extract", "-F", str(ROOT / "babel.cfg"), *_makefile_keywords(),
        "-o", str(fresh), str(ROOT),
    ])
    extracted, committed = entries(read(fresh)).keys(), entries(read(POT)).keys()
    new = sorted((k[1] for k in extracted - committed), key=str)
    gone = sorted((k[1] for k in committed - extracted), key=str)
    assert not new and not gone, (
        "workflow/translations/messages.pot is out of date: run `make messages` (then translate).\n"
        f"Marked in the code but not in the template ({len(new)}): {new}\n"
        f"In the template but no longer in the code ({len(gone)}): {gone}"
    )


def test_every_enum_shown_with_the_label_filter_has_an_english_label() -> None:
    import workflow.catalogue.services  # noqa: F401 - its PublicStatus is shown too
    import workflow.models  # noqa: F401 - every module's enums
    from workflow.core.labels import LABELS

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    missing = [f"{cls.__name__}.{member.name}" for cls in subclasses(StrEnum)
               if cls.__module__.startswith("workflow.") and not cls.__name__.endswith("Event")
               for member in cls if member.value not in LABELS.get(cls.__name__, {})]
    assert not missing, f"add these to workflow/core/labels.py (then `make messages`): {missing}"


# --- 3. Used by the pages ------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_the_sign_in_page_is_shown_in_the_language_asked_for(client, locale: str) -> None:
    wanted = {message.id: message.string for message in catalogue(locale) if isinstance(message.id, str)}
    html = client.get(f"/login?lang={locale}").get_data(as_text=True)

    assert f'<html lang="{locale}">' in html
    for english in ("Sign in", "Forgot your password?", "Password"):
        translated = wanted.get(english)
        assert translated and translated != english, f"{english!r} has no {locale} translation"
        assert translated in html, f"{english!r} is not shown as {translated!r}"
    assert "Keep me signed in on this computer" not in html


@pytest.mark.parametrize(("locale", "required"), [("es", "Este campo es obligatorio."),
                                                  ("fr", "Ce champ est requis.")])
def test_form_validation_messages_follow_the_language(client, locale: str, required: str) -> None:
    page = client.get(f"/login?lang={locale}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    html = client.post("/login", data={"csrf_token": token, "email": "", "password": ""}).get_data(as_text=True)

    assert required in html and "This field is required." not in html
