"""The screenshot gallery: the main pages of each role, at 1366×900 and 390×844, in English, Spanish and French.

Run from the repository root: `make screenshots`, or `.venv/bin/python bench/screenshots.py [--out DIR]
[--roles officer expert …] [--languages en fr] [--sizes 1366x900]`.

A fresh SQLite database is built in a temporary directory with the real commands (`flask --app workflow
db upgrade`, `seed reference`, `seed demo`) and served by gunicorn on a free port (bench/demo_site.py).
One headless Debian Chromium (`which chromium`), driven by Playwright, signs in as each demo account
(design.md, "Fixed names"; password peerflow-demo) through the /login form, once per size, and picks the
language with the switcher's own `?lang=xx` (kept in the session, as a person's click on it would be).
The pages that show one record (an Action, an activity, a request…) take the first such link the role
sees on a list page, so the gallery follows whatever the demo portfolio holds.

`--pages results budget …` takes only those pages; `--png` saves lossless full pages without thumbnails (to
read a page closely: write them outside git, e.g. `--out /tmp/screens`); `--empty` builds the site without the
demo portfolio (reference data and the demo officer, admin and expert only), for the pages' empty states;
`--site URL` uses a Peerflow already running instead of building one.

Each page is saved as a full-page JPEG (`DIR/ROLE/PAGE-WIDTH-LANG.jpg`) with a thumbnail of its first
screen (`…-thumb.jpg`, scaled in the browser itself, no image library), and `DIR/index.html` shows them,
one section per role. The four pictures the README shows are also copied to `DIR/readme/`. The last line
printed is one JSON object: {"screenshots", "pages", "failed", "seconds", "megabytes"}.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import argparse  # noqa: E402
import base64  # noqa: E402
import html  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from time import perf_counter  # noqa: E402

from demo_site import DEMO_PASSWORD, ROOT, DemoSite  # noqa: E402

SIZES = {"1366x900": (1366, 900), "390x844": (390, 844)}
LANGUAGES = {"en": "English", "es": "Español", "fr": "Français"}
JPEG_QUALITY = 70
THUMB_WIDTH = {1366: 320, 390: 150}
TIMEOUT_MS = 30_000
MAX_VIA = 15  # pages visited to find one with the link asked for


@dataclass(frozen=True)
class Shot:
    """A page of the gallery: a path, or the first link matching `pattern` on the page at `path` (or, with
    `via`, on the first of the pages reached from `path` by following, in turn, links matching each of `via`'s
    patterns, that has one). With `needs` (or `lacks`), the page taken must (or must not) link to a path
    matching it: an Action's results with indicators, or one without any (its empty state)."""

    slug: str
    title: str
    path: str
    pattern: str | None = None
    via: str | tuple[str, ...] | None = None
    needs: str | None = None
    lacks: str | None = None

    @property
    def steps(self) -> tuple[str, ...]:
        return (self.via,) if isinstance(self.via, str) else self.via or ()


@dataclass
class Role:
    slug: str
    title: str
    email: str | None
    shots: list[Shot]
    resolved: dict[str, str | None] = field(default_factory=dict)


ACTION = r"^/actions/\d+$"
ACTION_RESULTS = r"^/actions/\d+/results$"
INDICATOR = r"^/indicators/\d+/edit$"
MISSION = r"^/deployments/\d+/mission$"
CLAIM = r"^/claims/\d+$"

ROLES = [
    Role("visitor", "Visitor (not signed in)", None, [
        Shot("catalogue", "Public catalogue", "/catalogue/"),
        Shot("catalogue-action", "A published Action", "/catalogue/", r"^/catalogue/actions/\d+$"),
        Shot("map", "Map", "/catalogue/map"),
        Shot("sign-in", "Sign in", "/login"),
        Shot("library", "Good practices (the public library)", "/catalogue/practices"),
        Shot("library-practice", "A published good practice", "/catalogue/practices", r"^/catalogue/practices/\d+$"),
    ]),
    Role("officer", "Programme officer", "officer@demo.peerflow.org", [
        Shot("home", "Home", "/home"),
        Shot("dashboard", "Dashboard", "/dashboard/"),
        Shot("requests", "Requests", "/requests/"),
        Shot("request", "A request", "/requests/", r"^/requests/\d+$"),
        Shot("actions", "Actions", "/actions/"),
        Shot("action", "An Action", "/actions/", r"^/actions/\d+$"),
        Shot("activity", "An activity", "/activities/", r"^/activities/\d+$"),
        Shot("suggestions", "Suggested experts for a slot", "/staffing", r"^/slots/\d+/suggestions$",
             via=r"^/activities/\d+$"),
        Shot("roster", "Experts (the roster)", "/experts/"),
        Shot("staffing", "Staffing", "/staffing"),
        Shot("deployments", "Deployments", "/deployments/"),
        # Issue #20: results, deliverables' stages, knowledge events and good practices.
        Shot("results", "An Action's results framework", "/actions/", ACTION_RESULTS, ACTION, needs=INDICATOR),
        Shot("results-empty", "Results of an Action without a framework", "/actions/", ACTION_RESULTS, ACTION,
             lacks=INDICATOR),
        Shot("framework-form", "Results framework: edit", "/actions/", r"^/actions/\d+/results/edit$",
             (ACTION, ACTION_RESULTS)),
        Shot("result-form", "An expected result: edit", "/actions/", r"^/expected-results/\d+/edit$",
             (ACTION, ACTION_RESULTS)),
        Shot("indicator-form", "An indicator: edit", "/actions/", INDICATOR, (ACTION, ACTION_RESULTS)),
        Shot("measurement-form", "A measurement: new", "/actions/", r"^/indicators/\d+/measurements/new$",
             (ACTION, ACTION_RESULTS)),
        Shot("measurement-withdraw", "A measurement: withdraw", "/actions/", r"^/measurements/\d+/withdraw$",
             (ACTION, ACTION_RESULTS)),
        Shot("check-in", "A deliverable's stage and 6/12-month check-in", "/actions/", r"^/deliverables/\d+/news$",
             (ACTION, ACTION_RESULTS)),
        Shot("events", "Knowledge events", "/knowledge/events"),
        Shot("event", "A knowledge event", "/knowledge/events", r"^/knowledge/events/\d+$"),
        Shot("event-form", "A knowledge event: new", "/knowledge/events/new"),
        Shot("practices", "Good practices", "/knowledge/practices"),
        Shot("practice", "A good practice", "/knowledge/practices", r"^/knowledge/practices/\d+$"),
        Shot("practice-form", "A good practice: new", "/knowledge/practices/new"),
        # Issue #21: budgets, costs, rates, missions and expense claims.
        Shot("budget", "An Action's budget", "/actions/", r"^/actions/\d+/budget$", ACTION),
        Shot("cost-new", "An activity's cost line: new", "/activities/", r"^/activities/\d+/costs/new$",
             r"^/activities/\d+$"),
        Shot("cost-edit", "An activity's cost line: edit", "/activities/", r"^/costs/\d+/edit$", r"^/activities/\d+$"),
        Shot("finance", "Finance", "/finance"),
        Shot("finance-region", "Finance by region", "/finance?by=region"),
        Shot("rates", "Rates", "/rates"),
        Shot("papers", "An activity's participants' papers", "/activities/", r"^/activities/\d+/papers$",
             r"^/activities/\d+$"),
        # The demo's expense claims are those of its first missions (2010).
        Shot("mission", "A mission (logistics, checklist, letters, claims)", "/deployments/?year_to=2010", MISSION,
             r"^/deployments/\d+$", needs=CLAIM),
        Shot("claim", "An expense claim", "/deployments/?year_to=2010", CLAIM, (r"^/deployments/\d+$", MISSION)),
    ]),
    Role("admin", "Administrator", "admin@demo.peerflow.org", [
        Shot("home", "Home", "/home"),
        Shot("users", "Users", "/admin/users"),
        Shot("audit", "Audit log", "/audit/"),
        Shot("plans", "Plan templates", "/plans/"),
        Shot("releases", "Releases", "/deployments/releases"),
        Shot("rates", "Rates", "/rates"),
        Shot("allowance-rate", "An allowance rate: new", "/rates/allowances/new"),
        Shot("fee-rate", "A fee rate: new", "/rates/fees/new"),
    ]),
    Role("requester", "Requester (partner administration)", "requester.pe@demo.peerflow.org", [
        Shot("home", "Home", "/home"),
        Shot("requests", "Requests", "/requests/"),
        Shot("request", "A request", "/requests/", r"^/requests/\d+$"),
        Shot("actions", "Actions", "/actions/"),
        Shot("action", "An Action", "/actions/", r"^/actions/\d+$"),
        Shot("results", "An Action's results framework", "/actions/", ACTION_RESULTS, ACTION, needs=INDICATOR),
        Shot("measurement-form", "A measurement: new", "/actions/", r"^/indicators/\d+/measurements/new$",
             (ACTION, ACTION_RESULTS)),
        Shot("check-in", "A deliverable's stage and 6/12-month check-in", "/actions/", r"^/deliverables/\d+/news$",
             (ACTION, ACTION_RESULTS)),
    ]),
    Role("focal", "Member-state focal point", "focal.es@demo.peerflow.org", [
        Shot("home", "Home", "/home"),
        Shot("roster", "Experts", "/experts/"),
        Shot("expert", "An expert", "/experts/", r"^/experts/\d+$"),
        Shot("releases", "Releases", "/deployments/releases"),
        Shot("actions", "Actions", "/actions/"),
    ]),
    Role("expert", "Expert", "expert@demo.peerflow.org", [
        Shot("home", "Home", "/home"),
        Shot("assignments", "My assignments", "/me"),
        Shot("deployment", "A deployment", "/me", r"^/deployments/\d+$"),
        Shot("mission", "A mission (logistics, checklist, letters, claims)", "/me", MISSION, r"^/deployments/\d+$",
             needs=CLAIM),
        Shot("mission-to-come", "A mission to come (its letter to accept)", "/me", MISSION, r"^/deployments/\d+$",
             lacks=CLAIM),
        Shot("claim", "An expense claim", "/me", CLAIM, (r"^/deployments/\d+$", MISSION)),
        Shot("notifications", "Notifications", "/notifications/"),
    ]),
    Role("steering", "Steering Committee member", "steering@demo.peerflow.org", [
        Shot("home", "Home", "/home"),
        Shot("consultations", "Consultations", "/steering/consultations"),
        Shot("request", "A request before the committee", "/steering/consultations", r"^/requests/\d+$"),
        Shot("actions", "Actions", "/actions/"),
    ]),
]

# The README's four: (role, page, size, language) -> the name of the copy in DIR/readme/.
README = {
    ("officer", "home", "1366x900", "en"): "officer-home.jpg",
    ("officer", "action", "1366x900", "en"): "action.jpg",
    ("expert", "home", "390x844", "en"): "expert-home-phone.jpg",
    ("officer", "dashboard", "1366x900", "en"): "dashboard.jpg",
}

THUMB_SCRIPT = """async ([data, width]) => {
  const image = new Image();
  image.src = 'data:image/jpeg;base64,' + data;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = Math.round(image.height * width / image.width);
  const context = canvas.getContext('2d');
  context.imageSmoothingQuality = 'high';
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/jpeg', 0.8).split(',')[1];
}"""


@dataclass
class Running:
    """A Peerflow already served (`--site URL`), used as the gallery's site without building one."""

    url: str

    def __enter__(self) -> Running:
        self.url = self.url.rstrip("/")
        return self

    def __exit__(self, *_exc: object) -> None:
        pass


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form[method=post] [type=submit]").first.click()
    if "/login" in page.url:
        raise RuntimeError(f"could not sign in as {email}")


def links(page, path: str, pattern: str) -> list[str]:
    """The distinct links on the page at `path` matching `pattern`, in page order, without query or fragment."""
    page.goto(path)
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    found = (re.split(r"[?#]", h)[0] for h in hrefs)
    return list(dict.fromkeys(h for h in found if re.match(pattern, h)))


def resolve(page, role: Role, wanted: set[str] | None = None) -> None:
    """The path of each page: fixed, or the first matching link the role sees from a list page."""
    for shot in role.shots:
        if wanted is not None and shot.slug not in wanted:
            continue
        if shot.pattern is None:
            role.resolved[shot.slug] = shot.path
            continue
        role.resolved[shot.slug] = found = find(page, shot)
        if found is None:
            print(f"  {role.slug}: no link to {shot.title.lower()} from {shot.path}; page skipped")


def find(page, shot: Shot) -> str | None:
    """Follow `shot.steps` from `shot.path` (at most MAX_VIA pages a step), then take the first link matching
    `shot.pattern` whose page links (or, with `lacks`, does not link) where the shot asks."""
    sources = [shot.path]
    for step in shot.steps:
        reached: list[str] = []
        for source in sources:
            reached += [href for href in links(page, source, step) if href not in reached]
            if len(reached) >= MAX_VIA:
                break
        sources = reached[:MAX_VIA]
    for source in sources:
        for found in links(page, source, shot.pattern)[:MAX_VIA]:
            if shot.needs is None and shot.lacks is None:
                return found
            if shot.needs is not None and links(page, found, shot.needs):
                return found
            if shot.lacks is not None and not links(page, found, shot.lacks):
                return found
    return None


def settle(page) -> None:
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(150)  # a chart's first paint


def shoot(page, thumb_page, path: str, target: Path, width: int) -> tuple[int, str]:
    answer = page.goto(path)
    status = answer.status if answer is not None else 0
    settle(page)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix == ".png":  # lossless, to be read closely; no thumbnail
        page.screenshot(path=str(target), full_page=True, type="png")
        return status, page.url
    page.screenshot(path=str(target), full_page=True, type="jpeg", quality=JPEG_QUALITY)
    first_screen = page.screenshot(type="jpeg", quality=90)
    data = thumb_page.evaluate(THUMB_SCRIPT, [base64.b64encode(first_screen).decode(), THUMB_WIDTH[width]])
    target.with_name(target.stem + "-thumb.jpg").write_bytes(base64.b64decode(data))
    return status, page.url


def run_role(browser, site_url: str, role: Role, sizes: list[str], languages: list[str], out: Path,
             done: list[dict], wanted: set[str] | None = None, image: str = "jpg") -> None:
    for size in sizes:
        width, height = SIZES[size]
        context = browser.new_context(
            base_url=site_url, viewport={"width": width, "height": height}, device_scale_factor=1,
            is_mobile=width < 600, has_touch=width < 600, locale="en-GB", timezone_id="Europe/Brussels",
            reduced_motion="reduce",
        )
        context.set_default_timeout(TIMEOUT_MS)
        page, thumb_page = context.new_page(), context.new_page()
        if role.email:
            try:
                sign_in(page, role.email)
            except RuntimeError as error:  # a site without the demo portfolio has only some of its accounts
                print(f"  {role.slug}: {error}; role skipped")
                context.close()
                return
        if not role.resolved:
            resolve(page, role, wanted)
        for language in languages:
            page.goto(f"/home?lang={language}" if role.email else f"/catalogue/?lang={language}")
            for shot in role.shots:
                path = role.resolved.get(shot.slug)
                if path is None or wanted is not None and shot.slug not in wanted:
                    continue
                target = out / role.slug / f"{shot.slug}-{width}-{language}.{image}"
                status, landed = shoot(page, thumb_page, path, target, width)
                ok = status < 400 and "/login" not in landed.replace(path, "") or shot.slug == "sign-in"
                done.append({"role": role.slug, "page": shot.slug, "size": size, "language": language,
                             "file": str(target.relative_to(out)), "status": status, "ok": ok})
                print(f"  {role.slug:10} {shot.slug:18} {size:9} {language}  {status}"
                      f"{'' if ok else '  <- not the page asked for: ' + landed}", flush=True)
        context.close()


def index_page(done: list[dict], sizes: list[str], languages: list[str]) -> str:
    parts = [
        "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Peerflow: screenshot gallery</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2433}"
        "h2{margin-top:2.5rem;border-bottom:1px solid #d5dae3;padding-bottom:.3rem}"
        "h3{font-size:1rem;margin:1.5rem 0 .5rem}"
        ".shots{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}"
        "figure{margin:0}figcaption{font-size:.8rem;color:#4a5468}"
        "img{border:1px solid #d5dae3;display:block}nav a{margin-right:1rem}</style>",
        "</head>", "<body>", "<h1>Peerflow: screenshot gallery</h1>",
        "<p>The main pages of each role of the demo portfolio, at "
        + " and ".join(s.replace("x", "×") for s in sizes) + ", in "
        + ", ".join(LANGUAGES[lang] for lang in languages)
        + ". Each thumbnail shows the first screen; it links to the full page. Made by <code>make screenshots</code>.</p>",
    ]
    roles = [role for role in ROLES if any(d["role"] == role.slug for d in done)]
    parts.append("<nav>" + "".join(f'<a href="#{r.slug}">{html.escape(r.title)}</a>' for r in roles) + "</nav>")
    for role in roles:
        parts.append(f'<section id="{role.slug}"><h2>{html.escape(role.title)}'
                     + (f" <small>({role.email})</small>" if role.email else "") + "</h2>")
        for shot in role.shots:
            mine = [d for d in done if d["role"] == role.slug and d["page"] == shot.slug]
            if not mine:
                continue
            path = role.resolved.get(shot.slug) or shot.path
            parts.append(f"<h3>{html.escape(shot.title)} <small><code>{html.escape(path)}</code></small></h3>")
            for size in sizes:  # one row per size: the wide pictures, then the phone's
                parts.append('<div class="shots">')
                parts += [figure(d, shot.title) for d in mine if d["size"] == size]
                parts.append("</div>")
        parts.append("</section>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def figure(d: dict, title: str) -> str:
    label = f"{title}, {d['size'].replace('x', '×')}, {LANGUAGES[d['language']]}"
    thumb = d["file"] if d["file"].endswith(".png") else d["file"].removesuffix(".jpg") + "-thumb.jpg"
    return (f'<figure><a href="{d["file"]}"><img src="{thumb}" loading="lazy" alt="{html.escape(label)}"></a>'
            f'<figcaption>{d["size"].replace("x", "×")} · {LANGUAGES[d["language"]]}'
            f'{"" if d["ok"] else " · HTTP " + str(d["status"])}</figcaption></figure>')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--roles", nargs="*", default=[role.slug for role in ROLES])
    parser.add_argument("--sizes", nargs="*", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--languages", nargs="*", default=list(LANGUAGES), choices=list(LANGUAGES))
    parser.add_argument("--pages", nargs="*", help="only these pages (slugs, e.g. results budget claim)")
    parser.add_argument("--png", action="store_true", help="lossless full pages, no thumbnails (to read closely)")
    parser.add_argument("--empty", action="store_true",
                        help="a site without the demo portfolio (empty states): its officer, admin and expert only")
    parser.add_argument("--site", help="the URL of a Peerflow already running (with the demo accounts)")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        print("The gallery needs Chromium: no `chromium` on PATH (Debian: apt-get install chromium).")
        return 1
    from playwright.sync_api import sync_playwright

    started = perf_counter()
    out: Path = args.out
    image = "png" if args.png else "jpg"
    for old in [*out.glob(f"*/*.{image}"), out / "index.html"]:
        if old.parent.name != "readme":
            old.unlink(missing_ok=True)
    done: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="peerflow-gallery-") as workdir, \
            (Running(args.site) if args.site else DemoSite(Path(workdir), demo=not args.empty)) as site:
        print(f"Demo site built and served on {site.url} ({perf_counter() - started:.0f} s)", flush=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
            wanted = set(args.pages) if args.pages else None
            for role in ROLES:
                if role.slug in args.roles:
                    run_role(browser, site.url, role, args.sizes, args.languages, out, done, wanted, image)
            browser.close()
    (out / "index.html").write_text(index_page(done, args.sizes, args.languages), encoding="utf-8")
    (out / "readme").mkdir(parents=True, exist_ok=True)
    for d in done:
        name = README.get((d["role"], d["page"], d["size"], d["language"]))
        if name:
            shutil.copyfile(out / d["file"], out / "readme" / name)
    size = sum(f.stat().st_size for f in out.rglob(f"*.{image}")) / 1e6
    failed = [d["file"] for d in done if not d["ok"]]
    seconds = perf_counter() - started
    print(f"Wrote {len(done)} screenshots of {len({(d['role'], d['page']) for d in done})} pages "
          f"({size:.1f} MB with thumbnails) and {out / 'index.html'} in {seconds:.0f} s"
          + (f"; {len(failed)} did not show the page asked for" if failed else ""))
    print(json.dumps({"screenshots": len(done), "pages": len({(d["role"], d["page"]) for d in done}),
                      "failed": failed, "seconds": round(seconds, 1), "megabytes": round(size, 1)}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
