"""Accounts: sign-in and tokens, users, invites, first start, password hashing."""
