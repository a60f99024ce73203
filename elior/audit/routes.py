"""The routes of a client's records (issue 18): the access log and account deletion; elior/routes.py splices ROUTES
into the one route table as `*audit.ROUTES`. The access log is the client's own and admins' to read (never their
trainer's: it is how a client checks on their trainer); a client asks for deletion, an admin decides.
"""
from __future__ import annotations

from starlette.routing import BaseRoute

from elior.audit import access_log, deletion
from elior.web.routing import SIGNED_IN, api, roles

ADMIN = roles("admin")
REQUEST_404 = "No such deletion request"

ROUTES: list[BaseRoute] = [
    api("GET", "/api/clients/{id:int}/access-log", access_log.list_access_log, access=SIGNED_IN,
        query=access_log.QUERY, response=access_log.PAGE_OUT, tags=("privacy",),
        responses={404: "No such client, or not the caller (only the client themself and admins read it)"}),
    api("POST", "/api/account/deletion", deletion.request_deletion, access=roles("client"), status=202,
        response=deletion.ASKED, tags=("privacy",)),
    api("GET", "/api/deletion-requests", deletion.list_requests, access=ADMIN, query=deletion.LIST_QUERY,
        response=deletion.PAGE_OUT, tags=("privacy",)),
    api("POST", "/api/deletion-requests/{id:int}/confirm", deletion.confirm, access=ADMIN, status=204,
        tags=("privacy",), responses={404: REQUEST_404, 409: "Decided already"}),
    api("POST", "/api/deletion-requests/{id:int}/reject", deletion.reject, access=ADMIN, status=204,
        tags=("privacy",), responses={404: REQUEST_404, 409: "Decided already"}),
]
