"""Accounts: creating them, passwords, and the signed-in user."""
