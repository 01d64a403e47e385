"""Access rules, decided on the server for every request."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..core.i18n import _
from ..core.web import local_url, now
from ..extensions import login_manager
from .models import STAFF_ROLES, Role
from .sessions import recently_authenticated

F = TypeVar("F", bound=Callable[..., Any])


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Signed in, and holding one of `roles` (else the sign-in page, or 403)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


signed_in = roles_required()
staff_required = roles_required(*STAFF_ROLES)
admin_required = roles_required(Role.ADMIN)


def _page_before() -> str:
    """The page the reader came from (a path on this site), to return to after confirming."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path:
        return local_url(referrer.path + (f"?{referrer.query}" if referrer.query else ""), url_for("main.home"))
    return url_for("main.home")


def recent_login_required(view: F) -> F:
    """The password typed in the last few minutes (RECENT_LOGIN_WINDOW), else asked again first.

    Stack it below the role decorator, so that a reader without the role gets 403 rather than a
    password prompt. A GET returns to the same address once confirmed; a POST is not replayed (its
    form would be sent twice): the reader returns to the page they came from and sends it again.
    Bearer-token API calls have no sign-in to check and are refused (403).
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        from ..core.web import is_api_request

        if is_api_request():
            abort(403, description="This action needs a recent sign-in on the pages; it is not available "
                                   "with a token.")
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if recently_authenticated(now()):
            return view(*args, **kwargs)
        if request.method in {"GET", "HEAD"}:
            target = request.full_path.rstrip("?")
        else:
            target = _page_before()
            flash(_("Confirm your password, then send the form again: nothing was changed yet."), "info")
        return redirect(url_for("accounts.reauthenticate", next=target))

    return wrapped  # type: ignore[return-value]
