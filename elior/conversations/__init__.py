"""Conversations (issue 16): trainer-client messages, workout comments, check-ins and habits."""
