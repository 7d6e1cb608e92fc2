"""Disclosure requests (docs/requests.md): recording one or many, answering them, and the
one-time links through which a candidate or party liaison answers without an account."""
