"""Notifications: who is told what, stored, and the endpoints to read them."""
