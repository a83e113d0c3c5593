"""The resident form's field names and actions (plain HTML; the form token does CSRF's job)."""

from __future__ import annotations

import re

# Form fields. Answers are posted as "q.<question name>" so that no question name can
# collide with the form's own fields.
ANSWER_PREFIX = "q."
TOKEN_FIELD = "token"
PAGE_FIELD = "page"
ACTION_FIELD = "action"
# Bots fill every field; people never see this one (CSS hides it).
HONEYPOT_FIELD = "homepage"
CONTACT_EMAIL = "contact_email"
CONTACT_PHONE = "contact_phone"
# "Tell me when results are published" (ticked: "1"); it needs an e-mail address.
CONTACT_NOTIFY = "contact_notify"
CONTACT_FIELDS = (CONTACT_EMAIL, CONTACT_PHONE, CONTACT_NOTIFY)

# The resume code of a walk saved to continue later (engage.respond.drafts).
RESUME_FIELD = "resume"

ACTION_BACK = "back"
ACTION_SAVE = "save"
ACTION_NEXT = "next"
ACTION_SEND = "send"
ACTION_LANGUAGE = "language"

# The optional contact fields.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
EMAIL_MAX_LENGTH = 254
PHONE_MAX_LENGTH = 40
PHONE_MIN_DIGITS = 7
