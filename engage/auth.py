"""Accounts: login and logout pages, Flask-Login wiring, role checks, user creation."""

from functools import wraps

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from engage import db
from surveys.models import ROLE_ADMIN, ROLE_BROKER, ROLE_STAFF, ROLES, User

bp = Blueprint("auth", __name__, url_prefix="/auth")
login_manager = LoginManager()
csrf = CSRFProtect()

# A deliberately slow hash (scrypt) so that a stolen table resists guessing.
PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 10


ROLE_NAMES = {
    ROLE_ADMIN: _l("administrator"),
    ROLE_STAFF: _l("staff"),
    ROLE_BROKER: _l("community broker"),
}

# Where each role starts: (endpoint, label, roles). Links whose blueprint is absent are left out.
START_LINKS = (
    ("manage.index", _l("Surveys"), (ROLE_ADMIN, ROLE_STAFF)),
    ("intake.index", _l("Data entry"), (ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)),
    ("reports.index", _l("Reports"), (ROLE_ADMIN, ROLE_STAFF)),
)


class AccountError(ValueError):
    """A user could not be created; the message says why in one line."""


class LoginUser:
    """The Flask-Login view of a ``User`` row (kept apart so ``surveys`` stays Flask-free)."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user: User):
        self.id = user.id
        self.email = user.email
        self.name = user.name
        self.role = user.role
        self.is_active = user.active

    def get_id(self) -> str:
        """Return the id Flask-Login keeps in the session cookie."""
        return str(self.id)

    def has_role(self, *roles: str) -> bool:
        """Return True when the user holds one of ``roles``."""
        return self.role in roles


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Sign in"))


class LogoutForm(FlaskForm):
    """A CSRF-protected button: logging out changes state, so it is a POST."""

    submit = SubmitField(_l("Sign out"))


def create_user(session: Session, email: str, role: str, password: str, name: str = "") -> User:
    """Create an account after checking the role, the email and the password."""
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if "@" not in email or len(email) > 254:
        raise AccountError(f"{email!r} is not an email address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError(f"a user with email {email} already exists")
    user = User(
        email=email,
        name=name,
        role=role,
        password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
    )
    session.add(user)
    session.commit()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user and user.active and check_password_hash(user.password_hash, password):
        return user
    return None


def role_required(*roles: str):
    """Allow the view to users with one of ``roles``; others get 403, visitors the login page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


@login_manager.user_loader
def load_user(user_id: str) -> LoginUser | None:
    """Load the signed-in user from the session cookie's id."""
    if not user_id.isdigit():
        return None
    user = db.get_session().get(User, int(user_id))
    return LoginUser(user) if user and user.active else None


def safe_next(target: str | None) -> str | None:
    """Return ``target`` only when it is a path on this site (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the user in."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.get_session(), form.email.data, form.password.data)
        if user:
            login_user(LoginUser(user))
            return redirect(safe_next(request.args.get("next")) or url_for("auth.home"))
        form.password.errors.append(_("The email or password is not right."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Sign the user out."""
    form = LogoutForm()
    if form.validate_on_submit():
        logout_user()
        flash(_("You are signed out."))
    return redirect(url_for("auth.login"))


@bp.get("/")
@login_required
def home():
    """Send a signed-in user to the page their role starts on."""
    links = [
        (label, url_for(endpoint))
        for endpoint, label, roles in START_LINKS
        if endpoint in current_app.view_functions and current_user.has_role(*roles)
    ]
    return render_template("auth/home.html", start_links=links, role_names=ROLE_NAMES)


def init_app(app: Flask) -> None:
    """Protect every form against CSRF and wire Flask-Login."""
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")

    @app.context_processor
    def logout_form():
        return {"logout_form": LogoutForm() if current_user.is_authenticated else None}
