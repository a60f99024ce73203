"""The bookings routes (issue 19), each declaring who may call it; elior/routes.py splices ROUTES into the one route
table as `*bookings.ROUTES`. Session types are the owner's (admins) and everyone's to read; a trainer's hours are
the trainer's and admins' to set and their clients' to read; appointments and credits follow the one rule of who
sees a client (sql/shared/caller_sees_client.sql), attendance and packages the rule of who coaches one.
"""
from __future__ import annotations

from starlette.routing import BaseRoute

from elior.bookings import appointments, availability, changes, credits, finder, session_types
from elior.web.routing import SIGNED_IN, api, roles

STAFF = roles("trainer", "admin")
ADMIN = roles("admin")
TYPE_404 = "No such session type"
APPOINTMENT_404 = appointments.NOT_YOURS
NOT_FREE = "The time is not free (taken, or outside the trainer's hours), or the place was changed meanwhile"

ROUTES: list[BaseRoute] = [
    # --- session types (studio settings) ---
    api("GET", "/api/session-types", session_types.list_types, access=SIGNED_IN, query=session_types.LIST_QUERY,
        response=session_types.SESSION_TYPE_PAGE, tags=("bookings",)),
    api("POST", "/api/session-types", session_types.create_type, access=ADMIN, body=session_types.SESSION_TYPE,
        response=session_types.SESSION_TYPE_OUT, status=201, tags=("bookings",)),
    api("GET", "/api/session-types/{id:int}", session_types.get_type, access=SIGNED_IN,
        response=session_types.SESSION_TYPE_OUT, tags=("bookings",), responses={404: TYPE_404}),
    api("PUT", "/api/session-types/{id:int}", session_types.update_type, access=ADMIN,
        body=session_types.SESSION_TYPE_UPDATE, response=session_types.SESSION_TYPE_OUT, tags=("bookings",),
        responses={404: TYPE_404}),
    api("DELETE", "/api/session-types/{id:int}", session_types.delete_type, access=ADMIN, status=204,
        tags=("bookings",), responses={404: TYPE_404, 409: "Booked or sold already: retire it (is_active) instead"}),
    # --- trainers' availability and free slots ---
    api("GET", "/api/trainers/{id:int}/availability", availability.get_availability, access=SIGNED_IN,
        query=availability.QUERY, response=availability.AVAILABILITY, tags=("bookings",),
        responses={404: availability.TRAINER_404, 422: "Bad range"}),
    api("PUT", "/api/trainers/{id:int}/availability", availability.set_weekly, access=STAFF, body=availability.WEEK,
        response=availability.AVAILABILITY, tags=("bookings",),
        responses={404: "No such trainer of the caller's (the trainer themself, admins)",
                   422: "Bad body, an end not after its start, or hours that overlap (loc names them)"}),
    api("POST", "/api/trainers/{id:int}/availability/exceptions", availability.add_exception, access=STAFF,
        body=availability.EXCEPTION, response=availability.EXCEPTION_OUT, status=201, tags=("bookings",),
        responses={404: "No such trainer of the caller's (the trainer themself, admins)"}),
    api("DELETE", "/api/trainers/{id:int}/availability/exceptions/{exception_id:int}", availability.delete_exception,
        access=STAFF, status=204, tags=("bookings",), responses={404: "No such exception of the caller's trainer"}),
    api("GET", "/api/slots", finder.find_slots, access=SIGNED_IN, query=finder.SLOT_QUERY,
        response=finder.SLOTS_OUT, tags=("bookings",),
        responses={404: availability.TRAINER_404 + ", or no such session type",
                   422: "Bad range (at most 62 days), a retired type, or trainer_id missing for staff"}),
    # --- appointments ---
    api("GET", "/api/appointments", appointments.list_appointments, access=SIGNED_IN,
        query=appointments.LIST_QUERY, response=appointments.APPOINTMENT_PAGE, tags=("bookings",),
        responses={404: "client_id or trainer_id is not visible to the caller"}),
    api("POST", "/api/appointments", appointments.book, access=SIGNED_IN, body=appointments.BOOK,
        response=appointments.APPOINTMENT, status=201, tags=("bookings",),
        responses={402: "The type uses credits and the client has none valid on that day",
                   403: "A client naming another client", 404: "The client is not visible to the caller",
                   409: "The time is not free (another booking took the last place), the client already has a "
                   "session then, or the client has no trainer",
                   422: "Bad body, a past or unknown time, a retired type, or not the client's trainer"}),
    api("GET", "/api/appointments/{id:int}", appointments.get_appointment, access=SIGNED_IN,
        response=appointments.APPOINTMENT, tags=("bookings",), responses={404: APPOINTMENT_404}),
    api("POST", "/api/appointments/{id:int}/cancel", changes.cancel, access=SIGNED_IN, body=changes.CANCEL,
        parse_body=False, response=appointments.APPOINTMENT, tags=("bookings",),
        responses={403: "A client sending waive_fee", 404: APPOINTMENT_404,
                   409: "Not booked (cancelled or marked already), or a client after the start"}),
    api("POST", "/api/appointments/{id:int}/reschedule", changes.reschedule, access=SIGNED_IN,
        body=changes.RESCHEDULE, response=appointments.APPOINTMENT, tags=("bookings",),
        responses={404: APPOINTMENT_404, 409: NOT_FREE + "; a client inside the cut-off; or the held credit "
                   "expires before the new day"}),
    api("POST", "/api/appointments/{id:int}/attendance", changes.mark_attendance, access=STAFF,
        body=changes.ATTENDANCE, response=appointments.APPOINTMENT, tags=("bookings",),
        responses={404: "No such appointment of a client the caller coaches",
                   409: "Cancelled, or not begun yet"}),
    # --- packages and credits ---
    api("POST", "/api/packages", credits.create_package, access=STAFF, body=credits.PACKAGE,
        response=credits.PACKAGE_OUT, status=201, tags=("bookings",),
        responses={404: "Not a client the caller coaches",
                   422: "Bad body, a past expiry, or a type that is retired or uses no credits"}),
    api("GET", "/api/packages", credits.list_packages, access=SIGNED_IN, query=credits.PAGE_QUERY,
        response=credits.PACKAGE_PAGE, tags=("bookings",), responses={404: "Client not visible"}),
    api("GET", "/api/credits", credits.balances, access=SIGNED_IN, query=credits.CLIENT_QUERY,
        response=credits.BALANCES, tags=("bookings",), responses={404: "Client not visible"}),
    api("GET", "/api/credits/ledger", credits.list_ledger, access=SIGNED_IN, query=credits.LEDGER_QUERY,
        response=credits.LEDGER_PAGE, tags=("bookings",), responses={404: "Client not visible"}),
]
