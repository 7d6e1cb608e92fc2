"""Administrators: accounts (roles, disabling) and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from transparency.access import restrict
from transparency.auth import AccountError
from transparency.auth_forms import UserAdminForm
from transparency.contrib.accounts import update_account
from transparency.contrib.audit import LABELS, AuditKind
from transparency.extensions import db
from transparency.models import AuditEvent, Role, User
from transparency.net import client_address

bp = Blueprint("admin", __name__, url_prefix="/admin")
restrict(bp, Role.ADMIN)


@bp.app_template_global()
def audit_label(kind: str) -> str:
    label = LABELS.get(kind)  # type: ignore[call-overload]
    return str(label) if label is not None else kind


@bp.get("/")
def index() -> Response:
    return redirect(url_for("admin.users"))


@bp.get("/users")
def users() -> str:
    page = db.paginate(select(User).order_by(User.email), per_page=100, error_out=False)
    forms = {
        user.id: UserAdminForm(
            formdata=None, prefix=f"u{user.id}", role=user.role, active="1" if user.active else "0"
        )
        for user in page.items
    }
    return render_template("admin/users.html", page=page, forms=forms)


@bp.post("/users/<int:user_id>")
def update_user(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    form = UserAdminForm(prefix=f"u{user.id}")
    if not form.validate_on_submit():
        flash(_("The change was not understood; nothing was changed."), "error")
        return redirect(url_for("admin.users"))
    try:
        changed = update_account(
            db.session,
            current_user._get_current_object(),
            user,
            role=form.role.data,
            active=form.active.data == "1",
            address=client_address(),
        )
    except AccountError as error:
        db.session.rollback()  # a redirect commits: nothing of the refused change may
        flash(str(error), "error")
        return redirect(url_for("admin.users"))
    if changed:
        flash(_("Account %(email)s updated.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.get("/audit")
def audit() -> str:
    kind = request.args.get("kind", "")
    if kind and kind not in set(AuditKind):
        abort(400, _("Unknown event kind."))
    query = select(AuditEvent).options(selectinload(AuditEvent.user))
    if kind:
        query = query.where(AuditEvent.kind == kind)
    page = db.paginate(
        query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()),
        per_page=100,
        error_out=False,
    )
    return render_template("admin/audit.html", page=page, kind=kind, kinds=list(AuditKind))
