"""Outgoing e-mail, sent only once the transaction that asked for it has committed.

Python's smtplib does all we need (one plain-text message, STARTTLS or TLS, a log-in), so no
mail library is added. A message is queued on the database session; after the commit a
background thread delivers it, so the visitor's answer never waits for the mail server (and
takes the same time whatever the message says). After a rollback the message is dropped.
Settings: MAIL_SERVER (empty: no mail), MAIL_PORT, MAIL_USE_TLS (STARTTLS), MAIL_USE_SSL,
MAIL_USERNAME, MAIL_PASSWORD, MAIL_DEFAULT_SENDER, MAIL_TIMEOUT.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

QUEUE_KEY = "transparency_mail_queue"
MAIL_DEFAULTS: dict[str, Any] = {
    "MAIL_SERVER": "",
    "MAIL_PORT": 587,
    "MAIL_USE_TLS": True,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_DEFAULT_SENDER": "",
    "MAIL_TIMEOUT": 10,
}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


def enabled(app: Flask | None = None) -> bool:
    return bool((app or current_app).config.get("MAIL_SERVER"))


def queue(session: Session, message: Message) -> None:
    """Send `message` once this session's transaction commits."""
    session.info.setdefault(QUEUE_KEY, []).append(message)


def deliver(settings: dict[str, Any], message: Message) -> None:
    """Send one message now (in the calling thread)."""
    mail = EmailMessage()
    mail["From"] = settings["MAIL_DEFAULT_SENDER"] or settings["MAIL_USERNAME"]
    mail["To"] = message.to
    mail["Subject"] = message.subject
    mail.set_content(message.body)
    host, port = settings["MAIL_SERVER"], int(settings["MAIL_PORT"])
    timeout = float(settings["MAIL_TIMEOUT"])
    context = ssl.create_default_context()
    if settings["MAIL_USE_SSL"]:
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if settings["MAIL_USE_TLS"] and not settings["MAIL_USE_SSL"]:
            client.starttls(context=context)
        if settings["MAIL_USERNAME"]:
            client.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"])
        client.send_message(mail)


def _deliver_all(settings: dict[str, Any], messages: list[Message]) -> None:
    for message in messages:
        try:
            deliver(settings, message)
        except (OSError, smtplib.SMTPException):
            log.exception("Could not send the e-mail %r", message.subject)


def _after_commit(session: Session) -> None:
    messages = session.info.pop(QUEUE_KEY, [])
    if not messages:
        return
    settings = {key: current_app.config.get(key, value) for key, value in MAIL_DEFAULTS.items()}
    threading.Thread(
        target=_deliver_all, args=(settings, messages), name="mail", daemon=True
    ).start()


def _after_rollback(session: Session) -> None:
    session.info.pop(QUEUE_KEY, None)


def init_app(app: Flask) -> None:
    for key, value in MAIL_DEFAULTS.items():
        app.config.setdefault(key, value)
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
