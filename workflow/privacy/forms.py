"""Forms of the privacy pages."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..core.forms import BaseForm
from ..core.i18n import _l


class EraseForm(BaseForm):
    """Erasing cannot be undone: the admin types the expert's name to show they mean this one."""

    confirm_name = StringField(_l("Type the expert's full name to confirm"),
                               validators=[DataRequired(), Length(max=200)])
