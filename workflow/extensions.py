"""Extension objects, created here and configured by `create_app`."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from .database import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
