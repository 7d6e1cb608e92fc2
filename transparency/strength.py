"""How hard a password or a secret key is to guess: zxcvbn's estimate, with its word lists
(common passwords, names, English words, keyboard walks), and its reasons in our languages.

zxcvbn was chosen over our own list because it scores patterns a list cannot hold: repeats
("abcdabcdabcd"), keyboard walks ("zaq12wsxcde3"), sequences, dates and l33t spellings.
"""

from __future__ import annotations

import threading

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

# zxcvbn's scores run 0..4; 3 is "safely unguessable" against an online attack and slows an
# offline one behind argon2id.
MIN_PASSWORD_SCORE = 3
# zxcvbn refuses longer input (its matching grows with the square of the length); the first
# 72 characters of a longer pass phrase are estimated, the rest only adds strength.
ESTIMATED_LENGTH = 72
# About 80 bits: no random key of 32 characters or more falls below it (measured on 1,000
# keys from secrets.token_hex(16), the lowest gave 10^28); repeats, sequences, words and the
# default key fall far below.
MIN_KEY_GUESSES_LOG10 = 24
KEY_ESTIMATED_LENGTH = 128
# Our own words, so that a key or password built from the site's name counts as guessable.
SITE_WORDS = ("jejak", "terbuka", "jejakterbuka", "transparency", "dev-only-change-me")

# zxcvbn updates a module-level dictionary with each call's user inputs: one call at a time.
_lock = threading.Lock()

# zxcvbn's own feedback, in its English words, so that the catalogue translates them; the
# text zxcvbn returns is looked up in our catalogue at run time.
FEEDBACK = (
    _l("Use a few words, avoid common phrases."),
    _l("No need for symbols, digits, or uppercase letters."),
    _l("Add another word or two. Uncommon words are better."),
    _l("Straight rows of keys are easy to guess."),
    _l("Short keyboard patterns are easy to guess."),
    _l("Use a longer keyboard pattern with more turns."),
    _l('Repeats like "aaa" are easy to guess.'),
    _l('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
    _l("Avoid repeated words and characters."),
    _l('Sequences like "abc" or "6543" are easy to guess.'),
    _l("Avoid sequences."),
    _l("Recent years are easy to guess."),
    _l("Avoid recent years."),
    _l("Avoid years that are associated with you."),
    _l("Dates are often easy to guess."),
    _l("Avoid dates and years that are associated with you."),
    _l("This is a top-10 common password."),
    _l("This is a top-100 common password."),
    _l("This is a very common password."),
    _l("This is similar to a commonly used password."),
    _l("A word by itself is easy to guess."),
    _l("Names and surnames by themselves are easy to guess."),
    _l("Common names and surnames are easy to guess."),
    _l("Capitalization doesn't help very much."),
    _l("All-uppercase is almost as easy to guess as all-lowercase."),
    _l("Reversed words aren't much harder to guess."),
    _l("Predictable substitutions like '@' instead of 'a' don't help very much."),
)


def _estimate(text: str, user_inputs: tuple[str, ...], length: int) -> dict:
    inputs = [value for value in (*user_inputs, *SITE_WORDS) if value]
    with _lock:
        return zxcvbn(text[:length], user_inputs=inputs, max_length=length)


def password_weakness(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why zxcvbn finds this password easy to guess, or None when it scores high enough."""
    result = _estimate(password, user_inputs, ESTIMATED_LENGTH)
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    feedback = result["feedback"]
    reasons = [_(text) for text in (feedback["warning"], *feedback["suggestions"][:1]) if text]
    return " ".join([_("This password is too easy to guess."), *reasons])


def weak_key(key: str) -> bool:
    """True when a secret key is guessable: repeats, sequences, words, the default key."""
    result = _estimate(key, (), KEY_ESTIMATED_LENGTH)
    return float(result["guesses_log10"]) < MIN_KEY_GUESSES_LOG10
