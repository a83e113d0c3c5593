"""Resident pages: open surveys, a survey split into pages by section, thanks, closed.

Decisions (issue 4), so that nobody has to rediscover them:

- Answers travel between pages in hidden form fields, not in the session cookie: one
  long comment in Arabic would overflow the cookie's 4 KB, and hidden fields keep the
  server stateless and store nothing before the resident sends. Every page posts every
  answer given so far, so "Back" and switching language keep them all. (The browser's
  own back button on a posted page offers to send that form again, with its answers.)
- A form token, random and signed with a nonce kept in the session, is minted when the
  survey opens and posted with every page; it becomes ``Response.idempotency_key``, so
  a double tap, a refresh or going back and sending again stores one response. Being
  bound to the session, it also does CSRF's job on these forms (they are exempt from
  Flask-WTF's check): a token that does not match shows the page again with the
  answers kept and a fresh token, where the CSRF error page would lose them.
- Sending redirects (303) to the thank-you page, so a refresh lands there.
- Unknown and draft surveys get a 404 page, closed ones a 410 page, in the resident's
  language. Signed-in staff and administrators can add ``?preview=1`` to walk through
  a survey in any state; nothing is stored.
- The survey's content language is the survey language closest to the one asked for
  (``?lang=``, remembered, then the browser's); ``g.page_language`` follows it. The
  interface falls back to a catalog language, marked with its own ``lang``.
- ``Survey.settings["ask_contact"]`` (default true) offers the optional "contact me
  about this" fields on the last page; they are stored in ``ResponseContact``.
- Only "Send" counts against ``SUBMISSION_RATE_LIMIT`` per address; over the limit the
  page comes back (429) with the answers kept and a polite message.
- Sending gives the resident a receipt code (``surveys.receipts``), shown on the thank-you
  page (``receipt``); with it, ``/s/<slug>/withdraw`` withdraws their answers
  (``withdraw``). A multi-page survey can be saved to continue later with a resume code
  (``drafts``). ``/s/<slug>/results`` shows what we heard and what we are doing once
  staff publish it (``results``), with an Atom feed of the updates (``feed``).

The blueprint is defined in ``blueprint`` so that ``views`` can import it without
importing this package first; importing ``views`` here registers its routes.
"""

from engage.respond import (  # noqa: F401  (their routes register on bp)
    drafts,
    results,
    views,
    withdraw,
)
from engage.respond.blueprint import bp

__all__ = ["bp"]
