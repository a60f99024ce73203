"""The export routes (issue 18), spliced into elior/routes.py as `*exports.ROUTES`. Requesting and reading an export
follow the one rule of who sees a client; the download is public because its signed link is the permission."""
from __future__ import annotations

from starlette.routing import BaseRoute

from elior.exports import endpoints
from elior.web.routing import PUBLIC, SIGNED_IN, api

ROUTES: list[BaseRoute] = [
    api("POST", "/api/exports", endpoints.create_export, access=SIGNED_IN, body=endpoints.EXPORT_CREATE,
        response=endpoints.EXPORT, status=202, tags=("exports",),
        responses={404: "No such client visible to the caller (the client themself, their trainer, admins)"}),
    api("GET", "/api/exports", endpoints.list_exports, access=SIGNED_IN, query=endpoints.LIST_QUERY,
        response=endpoints.EXPORT_PAGE, tags=("exports",),
        responses={422: "client_id missing (staff)"}),
    api("GET", "/api/exports/{id:int}", endpoints.get_export, access=SIGNED_IN, response=endpoints.EXPORT,
        tags=("exports",), responses={404: endpoints.NOT_YOURS}),
    api("GET", "/api/exports/{id:int}/download", endpoints.download, access=PUBLIC, query=endpoints.DOWNLOAD_QUERY,
        media_types=("application/zip",), tags=("exports",),
        responses={403: "The signed link is invalid or expired", 404: "No such finished export, or it expired"}),
]
