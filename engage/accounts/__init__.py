"""Accounts (blueprint "accounts", /accounts): admins manage accounts and survey assignments.

``rules`` holds each account rule once (pages and ``engage users`` share it), ``access``
decides which surveys an account may use, ``views`` the pages, ``mail`` the set-password
e-mail, ``commands`` the CLI. The blueprint lives in ``views`` (imported by create_app) so
that ``engage.auth`` can use ``rules`` without importing the pages.
"""
