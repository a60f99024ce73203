"""The notification preferences routes, spliced into the one route table (elior/routes.py) as
`*notification_routes.ROUTES`. (The notification list's own routes are in the table itself.)"""
from __future__ import annotations

from starlette.routing import BaseRoute

from elior.notifications import preferences
from elior.web.routing import SIGNED_IN, api

ROUTES: list[BaseRoute] = [
    api("GET", "/api/notification-preferences", preferences.get_preferences, access=SIGNED_IN,
        response=preferences.PREFERENCES, tags=("notifications",)),
    api("PUT", "/api/notification-preferences", preferences.put_preferences, access=SIGNED_IN,
        body=preferences.PREFERENCES_BODY, response=preferences.PREFERENCES, tags=("notifications",)),
]
