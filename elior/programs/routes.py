"""The programs domain's routes, spliced into the one route table (elior/routes.py) as `*programs.ROUTES`: programs
and their assignments, the calendar and its iCal feed, the attention queue and the meal-entry review queue."""
from __future__ import annotations

from starlette.routing import BaseRoute

from elior.programs import assign, attention, calendar, ical, programs, review_queue
from elior.programs import schemas as s
from elior.web.routing import PUBLIC, SIGNED_IN, api, roles
from elior.web.schema import Bool, Schema

STAFF = roles("trainer", "admin")
NOT_YOURS = "No such program of the caller's (admins: any)"
ASSIGNMENTS_QUERY = Schema("ProgramAssignmentQuery", {
    "active": Bool(default=True, description="only the assignments not ended"),
})

ROUTES: list[BaseRoute] = [
    api("GET", "/api/programs", programs.list_programs, access=STAFF, query=s.LIST_QUERY, response=s.PROGRAM_PAGE,
        tags=("programs",)),
    api("POST", "/api/programs", programs.create_program, access=STAFF, body=s.PROGRAM, response=s.PROGRAM_OUT,
        status=201, tags=("programs",),
        responses={422: "Bad body, a week past `weeks`, or an exercise_id that does not exist (loc names it)"}),
    api("GET", "/api/programs/{id:int}", programs.get_program, access=STAFF, response=s.PROGRAM_OUT,
        tags=("programs",), responses={404: NOT_YOURS}),
    api("PUT", "/api/programs/{id:int}", programs.update_program, access=STAFF, body=s.PROGRAM_UPDATE,
        response=s.PROGRAM_OUT, tags=("programs",),
        responses={404: NOT_YOURS, 422: "Bad body, or workouts left past a shortened `weeks`"}),
    api("DELETE", "/api/programs/{id:int}", programs.delete_program, access=STAFF, status=204, tags=("programs",),
        responses={404: NOT_YOURS, 409: "Still assigned to a client: un-assign it first"}),
    api("POST", "/api/programs/{id:int}/copy", programs.copy_program, access=STAFF, body=s.COPY,
        response=s.PROGRAM_OUT, status=201, tags=("programs",), responses={404: NOT_YOURS}),
    api("POST", "/api/programs/{id:int}/assign", assign.assign, access=STAFF, body=s.ASSIGN, response=s.ASSIGN_OUT,
        status=201, tags=("programs",),
        responses={404: "The program, or one of the clients, is not the caller's (nothing was written)",
                   409: "Nothing could be assigned (`detail` says why for each client)",
                   422: "Bad body, or a start date before yesterday"}),
    api("POST", "/api/programs/{id:int}/unassign", assign.unassign, access=STAFF, body=s.UNASSIGN,
        response=s.UNASSIGN_OUT, tags=("programs",),
        responses={404: "The program, or one of the clients, is not the caller's (nothing was changed)"}),
    api("GET", "/api/programs/{id:int}/assignments", assign.list_assignments, access=STAFF,
        query=ASSIGNMENTS_QUERY, response=s.ASSIGNMENT_LIST, tags=("programs",), responses={404: NOT_YOURS}),
    # --- the calendar and its feed ---
    api("GET", "/api/calendar", calendar.calendar, access=SIGNED_IN, query=calendar.QUERY,
        response=calendar.CALENDAR_OUT, tags=("calendar",),
        responses={404: "client_id is not a client the caller may see", 422: "Bad range (at most 92 days)"}),
    api("GET", "/api/calendar.ics", ical.feed, access=PUBLIC, query=ical.FEED_QUERY,
        media_types=(ical.MEDIA_TYPE.split(";")[0],), tags=("calendar",),
        responses={404: "Unknown, rotated or revoked feed token"}),
    api("GET", "/api/calendar/feed", calendar.feed_state, access=SIGNED_IN, response=calendar.FEED_STATE,
        tags=("calendar",)),
    api("POST", "/api/calendar/feed", calendar.make_feed, access=SIGNED_IN, response=calendar.FEED_OUT, status=201,
        tags=("calendar",)),
    api("DELETE", "/api/calendar/feed", calendar.revoke_feed, access=SIGNED_IN, status=204, tags=("calendar",)),
    # --- what needs the trainer ---
    api("GET", "/api/clients/attention", attention.attention, access=STAFF, query=attention.QUERY,
        response=attention.PAGE_OUT, tags=("programs",)),
    api("GET", "/api/meal-entries", review_queue.review_queue, access=SIGNED_IN, query=review_queue.QUERY,
        response=review_queue.PAGE_OUT, tags=("meal entries",)),
]
