"""Peerflow: runs a peer-to-peer migration-expertise programme."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importing a subpackage (the pure matching engine, say) must not load Flask
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Any = None) -> Flask:
    """Build the Flask app; `config` is a `config.Config` (read from the environment when omitted)."""
    from flask import Flask
    from flask.cli import load_dotenv

    from config import Config, refuse_unsafe_production

    if config is None:
        # `.env` (and `.flaskenv`) as the `flask` command reads them, so gunicorn, which calls create_app()
        # itself, gets the same settings; variables already in the environment win (systemd's EnvironmentFile).
        load_dotenv()

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config or Config())
    refuse_unsafe_production(app.config, debug=app.debug)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from .cli import register_commands
    from .core import compression, security
    from .core.web import IdConverter
    from .ops import init_ops
    from .web import (
        register_blueprints,
        register_error_handlers,
        register_extensions,
        register_template_helpers,
    )

    app.url_map.converters["id"] = IdConverter
    init_ops(app)  # first: the request id and log line wrap every other hook
    register_extensions(app)
    security.init_app(app)  # the Content-Security-Policy and other headers on every response
    compression.init_app(app)  # gzip for the browsers that ask for it (gunicorn serves the static files too)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app
