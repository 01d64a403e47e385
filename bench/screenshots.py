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
    `via`, on the first of the pages linked from `path` matching `via` that has one)."""

    slug: str
    title: str
    path: str
    pattern: str | None = None
    via: str | None = None


@dataclass
class Role:
    slug: str
    title: str
    email: str | None
    shots: list[Shot]
    resolved: dict[str, str | None] = field(default_factory=dict)


ROLES = [
    Role("visitor", "Visitor (not signed in)", None, [
        Shot("catalogue", "Public catalogue", "/catalogue/"),
        Shot("catalogue-action", "A published Action", "/catalogue/", r"^/catalogue/actions/\d+$"),
        Shot("map", "Map", "/catalogue/map"),
        Shot("sign-in", "Sign in", "/login"),
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
    ]),
    Role("admin", "Administrator", "admin@demo.peerflow.org", [
        Shot("home", "Home", "/home"),
        Shot("users", "Users", "/admin/users"),
        Shot("audit", "Audit log", "/audit/"),
        Shot("plans", "Plan templates", "/plans/"),
        Shot("releases", "Releases", "/deployments/releases"),
    ]),
    Role("requester", "Requester (partner administration)", "requester.pe@demo.peerflow.org", [
        Shot("home", "Home", "/home"),
        Shot("requests", "Requests", "/requests/"),
        Shot("request", "A request", "/requests/", r"^/requests/\d+$"),
        Shot("actions", "Actions", "/actions/"),
        Shot("action", "An Action", "/actions/", r"^/actions/\d+$"),
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


def resolve(page, role: Role) -> None:
    """The path of each page: fixed, or the first matching link the role sees on a list page."""
    for shot in role.shots:
        if shot.pattern is None:
            role.resolved[shot.slug] = shot.path
            continue
        found = None
        for source in [shot.path] if shot.via is None else links(page, shot.path, shot.via)[:MAX_VIA]:
            found = next(iter(links(page, source, shot.pattern)), None)
            if found:
                break
        role.resolved[shot.slug] = found
        if found is None:
            print(f"  {role.slug}: no link to {shot.title.lower()} on {shot.path}; page skipped")


def settle(page) -> None:
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(150)  # a chart's first paint


def shoot(page, thumb_page, path: str, target: Path, width: int) -> tuple[int, str]:
    answer = page.goto(path)
    status = answer.status if answer is not None else 0
    settle(page)
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True, type="jpeg", quality=JPEG_QUALITY)
    first_screen = page.screenshot(type="jpeg", quality=90)
    data = thumb_page.evaluate(THUMB_SCRIPT, [base64.b64encode(first_screen).decode(), THUMB_WIDTH[width]])
    target.with_name(target.stem + "-thumb.jpg").write_bytes(base64.b64decode(data))
    return status, page.url


def run_role(browser, site_url: str, role: Role, sizes: list[str], languages: list[str], out: Path,
             done: list[dict]) -> None:
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
            sign_in(page, role.email)
        if not role.resolved:
            resolve(page, role)
        for language in languages:
            page.goto(f"/home?lang={language}" if role.email else f"/catalogue/?lang={language}")
            for shot in role.shots:
                path = role.resolved.get(shot.slug)
                if path is None:
                    continue
                target = out / role.slug / f"{shot.slug}-{width}-{language}.jpg"
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
    thumb = d["file"].removesuffix(".jpg") + "-thumb.jpg"
    return (f'<figure><a href="{d["file"]}"><img src="{thumb}" loading="lazy" alt="{html.escape(label)}"></a>'
            f'<figcaption>{d["size"].replace("x", "×")} · {LANGUAGES[d["language"]]}'
            f'{"" if d["ok"] else " · HTTP " + str(d["status"])}</figcaption></figure>')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--roles", nargs="*", default=[role.slug for role in ROLES])
    parser.add_argument("--sizes", nargs="*", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--languages", nargs="*", default=list(LANGUAGES), choices=list(LANGUAGES))
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        print("The gallery needs Chromium: no `chromium` on PATH (Debian: apt-get install chromium).")
        return 1
    from playwright.sync_api import sync_playwright

    started = perf_counter()
    out: Path = args.out
    for old in [*out.glob("*/*.jpg"), out / "index.html"]:
        if old.parent.name != "readme":
            old.unlink(missing_ok=True)
    done: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="peerflow-gallery-") as workdir, DemoSite(Path(workdir)) as site:
        print(f"Demo site built and served on {site.url} ({perf_counter() - started:.0f} s)", flush=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
            for role in ROLES:
                if role.slug in args.roles:
                    run_role(browser, site.url, role, args.sizes, args.languages, out, done)
            browser.close()
    (out / "index.html").write_text(index_page(done, args.sizes, args.languages), encoding="utf-8")
    (out / "readme").mkdir(parents=True, exist_ok=True)
    for d in done:
        name = README.get((d["role"], d["page"], d["size"], d["language"]))
        if name:
            shutil.copyfile(out / d["file"], out / "readme" / name)
    size = sum(f.stat().st_size for f in out.rglob("*.jpg")) / 1e6
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
