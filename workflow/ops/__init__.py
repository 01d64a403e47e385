"""Running in production: health and readiness endpoints, request ids and logs, the reverse proxy."""

from __future__ import annotations

from flask import Flask


def init_ops(app: Flask) -> None:
    """Called first by `create_app`, so the request id is set before any other hook runs."""
    from .health import bp
    from .logging import configure_logging, install_request_logging

    configure_logging(app)
    install_request_logging(app)
    app.register_blueprint(bp)
    proxies = app.config.get("PROXY_FIX", 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The client's address, scheme, host and prefix as the proxy saw them (secure cookies, absolute
        # links and the logged remote_addr depend on them). Trust only what `proxies` hops in front set.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies,  # type: ignore[method-assign]
                                x_prefix=proxies)
