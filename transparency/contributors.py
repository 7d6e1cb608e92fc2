"""Contributors' public names: how public pages say who proposed or approved a change.

An account's e-mail address, its id and the name an administrator knows stay private. Public
pages name a contributor by the display name chosen at registration or later on the account
page; until one is chosen it is "Relawan #n" ("Volunteer #n" in English), n the account's
number. Imports are the organisation's work, never a person's (transparency.profiles.history).

Display names are unique regardless of case and width (`display_key`), 3 to 40 characters of
letters, digits, spaces and a little punctuation, with at least one letter: nothing that looks
like an e-mail address or a web address, and nothing that looks like another account's default.
Domain functions flush and never commit.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from transparency.models import User

DISPLAY_NAME_MIN = 3
DISPLAY_NAME_MAX = 40
DEFAULT_PREFIX = "Relawan #"  # as stored; shown in the visitor's language
_ALLOWED_PUNCTUATION = frozenset(" -_.'’()")
# "Relawan 12", "volunteer#12": the form of a default name is kept for the defaults.
_DEFAULT_FORM = re.compile(r"^(relawan|volunteer)\W*\d+$")
# Names of the organisation's own work on public pages (transparency.profiles.history).
_RESERVED = frozenset({"impor daftar calon resmi", "official list import", "jejak terbuka"})


class DisplayNameRefused(ValueError):
    """A user-facing reason this display name cannot be used."""


DISPLAY_NAME_NOTICE = _l(
    "Public: shown beside every change you propose or approve, in candidates' histories. "
    "Do not use your e-mail address. Leave it empty to be shown as “Volunteer #” followed by "
    "your account's number. You can change it later."
)


def normalise(name: str) -> str:
    """Compatibility characters folded (full-width letters), spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def display_key(name: str) -> str:
    return normalise(name).casefold()


def default_display_name(user_id: int) -> str:
    return f"{DEFAULT_PREFIX}{user_id}"


def has_default_name(user: User) -> bool:
    return user.display_name is None or user.display_key == display_key(
        default_display_name(user.id)
    )


def public_name(user: User) -> str:
    """The contributor's name on public pages, in the visitor's language for a default."""
    if has_default_name(user):
        return _("Volunteer #%(number)s", number=user.id)
    return str(user.display_name)


def display_name_problem(name: str) -> str | None:
    """Why this display name cannot be used, in words; None when it can (uniqueness aside)."""
    name = normalise(name)
    key = name.casefold()
    if "@" in name:
        return _("A public name cannot look like an e-mail address.")
    if len(name) < DISPLAY_NAME_MIN or len(name) > DISPLAY_NAME_MAX:
        return _(
            "A public name has %(min)s to %(max)s characters.",
            min=DISPLAY_NAME_MIN,
            max=DISPLAY_NAME_MAX,
        )
    if any(
        not (unicodedata.category(c)[0] in "LMN" or c in _ALLOWED_PUNCTUATION) for c in name
    ) or not any(c.isalpha() for c in name):
        return _(
            "Use letters, and if you like digits, spaces and - _ . ' ( ), with at least one letter."
        )
    if _DEFAULT_FORM.match(key) or key in _RESERVED:
        return _("This name is kept for the site's own use. Choose another.")
    return None


def display_name_taken(session: Session, name: str, user: User | None = None) -> bool:
    found = session.scalar(select(User.id).where(User.display_key == display_key(name)))
    return found is not None and (user is None or found != user.id)


def set_display_name(session: Session, user: User, name: str | None) -> None:
    """Give the account this display name, or its default with None; flushes.

    Raises DisplayNameRefused when the name is not allowed or another account has it (also when
    another account took it a moment ago: the unique key says so inside a savepoint)."""
    if not name or not normalise(name):
        chosen = default_display_name(user.id)
    else:
        problem = display_name_problem(name)
        if problem:
            raise DisplayNameRefused(problem)
        chosen = normalise(name)
    if display_name_taken(session, chosen, user):
        raise DisplayNameRefused(_("Another volunteer already uses this public name."))
    previous = (user.display_name, user.display_key)
    try:
        with session.begin_nested():
            user.display_name, user.display_key = chosen, display_key(chosen)
            session.flush()
    except IntegrityError as error:
        user.display_name, user.display_key = previous
        raise DisplayNameRefused(_("Another volunteer already uses this public name.")) from error


def name_new_account(session: Session, user: User, name: str | None) -> None:
    """A new account's display name: the one chosen when it is still free, else the default
    (a name chosen by a link's registration may have been taken before it was followed)."""
    try:
        set_display_name(session, user, name)
    except DisplayNameRefused:
        set_display_name(session, user, None)
