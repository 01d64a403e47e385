"""What the e2e fixtures and journeys share: the people who sign in, the live server, where artifacts go."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"  # git-ignored: failure screenshots and the closed-Action picture


@dataclass(frozen=True)
class Person:
    email: str
    password: str
    name: str


@dataclass
class LiveServer:
    url: str
    app: Flask
    officer: Person
    requester_pe: Person
    requester_bo: Person
    # Unhandled exceptions raised while serving (each would be a 500 page); checked after every test.
    errors: list[BaseException] = field(default_factory=list)


OFFICER = Person("olga.officer@peerflow.example.org", "officer-password-1", "Olga Officer")
REQUESTER_PE = Person("pedro.peru@mininter.example.org", "requester-pe-pass", "Pedro Quispe")
REQUESTER_BO = Person("beatriz.bolivia@digemig.example.org", "requester-bo-pass", "Beatriz Mamani")


def sign_out_from_menu(page) -> None:
    """Sign out from the user's menu in the top bar (a drop-down: opened first). On a busy machine a click that
    comes before the page's script is ready opens nothing: the menu is opened again until it shows."""
    bar = page.get_by_role("navigation", name="Main")
    sign_out = bar.get_by_role("button", name="Sign out")
    for _attempt in range(5):
        bar.get_by_test_id("user-menu").click()
        try:
            sign_out.wait_for(state="visible", timeout=2_000)
            break
        except PlaywrightTimeoutError:
            continue
    sign_out.click()
