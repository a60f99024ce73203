"""The conversations routes (issue 16), each declaring who may call it; elior/routes.py splices ROUTES into the one
route table. Admins read threads and comments for support but never write in them: those writes are the two sides'
(the client and their trainer). Check-in and habit plans are set by whoever coaches the client (their trainer, an
admin); the client answers and ticks.
"""
from __future__ import annotations

from elior.conversations import (
    checkin_schedules,
    checkin_templates,
    checkins,
    comments,
    habits,
    messages,
    mutes,
    threads,
)
from elior.web.routing import SIGNED_IN, api, roles

SIDES = roles("client", "trainer")
COACHES = roles("trainer", "admin")
THREAD_404 = "No such client's thread visible to the caller"
MESSAGE_404 = "No such message in a thread the caller takes part in"
NOT_YOURS = "Not the sender's, deleted, or older than 15 minutes"
CLIENT_404 = "No such client visible to the caller"

ROUTES = [
    # --- messages ---
    api("GET", "/api/conversations", threads.list_threads, access=SIGNED_IN, query=threads.THREAD_QUERY,
        response=threads.THREAD_LIST, tags=("conversations",)),
    api("GET", "/api/conversations/{client_id:int}/messages", messages.list_messages, access=SIGNED_IN,
        query=messages.PAGE_QUERY, response=messages.MESSAGE_PAGE, tags=("conversations",),
        responses={404: THREAD_404}),
    api("POST", "/api/conversations/{client_id:int}/messages", messages.send_message, access=SIDES,
        body=messages.MESSAGE_CREATE, response=messages.MESSAGE, status=201, tags=("conversations",),
        responses={404: THREAD_404, 422: "Bad body, or an attachment that is not the sender's upload about this "
                   "client (loc names its index)"}),
    api("PUT", "/api/conversations/{client_id:int}/messages/{id:int}", messages.edit_message, access=SIDES,
        body=messages.MESSAGE_EDIT, response=messages.MESSAGE, tags=("conversations",),
        responses={403: NOT_YOURS, 404: MESSAGE_404}),
    api("DELETE", "/api/conversations/{client_id:int}/messages/{id:int}", messages.delete_message, access=SIDES,
        status=204, tags=("conversations",), responses={403: NOT_YOURS, 404: MESSAGE_404}),
    api("POST", "/api/conversations/{client_id:int}/read", threads.mark_read, access=SIDES, body=threads.READ,
        status=204, tags=("conversations",), responses={404: MESSAGE_404}),
    # --- workout comments ---
    api("GET", "/api/workouts/{id:int}/comments", comments.list_comments, access=SIGNED_IN,
        query=comments.LIST_QUERY, response=comments.COMMENT_LIST, tags=("workouts",),
        responses={404: "No such workout visible to the caller"}),
    api("POST", "/api/workouts/{id:int}/comments", comments.create_comment, access=SIDES,
        body=comments.COMMENT_CREATE, response=comments.COMMENT, status=201, tags=("workouts",),
        responses={404: "No such workout visible to the caller", 409: "The workout has not been logged yet"}),
    api("DELETE", "/api/workouts/{id:int}/comments/{comment_id:int}", comments.delete_comment, access=SIDES,
        status=204, tags=("workouts",),
        responses={403: "Not the author's, or older than 15 minutes", 404: "No such comment visible"}),
    # --- check-ins: templates, schedules, answers ---
    api("POST", "/api/check-in-templates", checkin_templates.create_template, access=COACHES,
        body=checkin_templates.TEMPLATE_CREATE, response=checkin_templates.TEMPLATE, status=201, tags=("check-ins",)),
    api("GET", "/api/check-in-templates", checkin_templates.list_templates, access=COACHES,
        query=checkin_templates.LIST_QUERY, response=checkin_templates.TEMPLATE_LIST, tags=("check-ins",)),
    api("GET", "/api/check-in-templates/{id:int}", checkin_templates.get_template, access=COACHES,
        response=checkin_templates.TEMPLATE, tags=("check-ins",), responses={404: "No such template of the caller's"}),
    api("DELETE", "/api/check-in-templates/{id:int}", checkin_templates.delete_template, access=COACHES, status=204,
        tags=("check-ins",), responses={404: "No such template of the caller's",
                                        409: "A schedule or an answered check-in uses it"}),
    api("GET", "/api/check-ins/schedules/{client_id:int}", checkin_schedules.get_schedule, access=SIGNED_IN,
        response=checkin_schedules.SCHEDULE, tags=("check-ins",),
        responses={404: "No schedule, or the client is not visible"}),
    api("PUT", "/api/check-ins/schedules/{client_id:int}", checkin_schedules.set_schedule, access=COACHES,
        body=checkin_schedules.SCHEDULE_SET, response=checkin_schedules.SCHEDULE, tags=("check-ins",),
        responses={404: "Not a client the caller coaches", 422: "Bad body, or a template that is not the caller's"}),
    api("DELETE", "/api/check-ins/schedules/{client_id:int}", checkin_schedules.delete_schedule, access=COACHES,
        status=204, tags=("check-ins",), responses={404: "No schedule of a client the caller coaches"}),
    api("GET", "/api/check-ins", checkins.list_check_ins, access=SIGNED_IN, query=checkins.LIST_QUERY,
        response=checkins.CHECK_IN_LIST, tags=("check-ins",),
        responses={404: CLIENT_404, 422: "Bad query; client_id missing for a trainer or admin"}),
    api("POST", "/api/check-ins", checkins.submit_check_in, access=roles("client"), body=checkins.CHECK_IN_CREATE,
        response=checkins.CHECK_IN, status=201, tags=("check-ins",),
        responses={404: "The caller has no check-in schedule", 409: "Answered already this period, or none due yet",
                   422: "Bad body, an answer its question does not take, or a photo that is not the client's"}),
    api("GET", "/api/check-ins/{id:int}", checkins.get_check_in, access=SIGNED_IN, response=checkins.CHECK_IN,
        tags=("check-ins",), responses={404: "No such check-in visible"}),
    api("PUT", "/api/check-ins/{id:int}/reply", checkins.reply_check_in, access=COACHES, body=checkins.REPLY,
        response=checkins.CHECK_IN, tags=("check-ins",),
        responses={403: "Visible, but not a check-in of a client the caller coaches",
                   404: "No such check-in visible"}),
    # --- habits ---
    api("POST", "/api/habits", habits.create_habit, access=COACHES, body=habits.HABIT_CREATE, response=habits.HABIT,
        status=201, tags=("habits",), responses={404: "Not a client the caller coaches"}),
    api("GET", "/api/habits", habits.list_habits, access=SIGNED_IN, query=habits.LIST_QUERY,
        response=habits.HABIT_LIST, tags=("habits",),
        responses={404: CLIENT_404, 422: "Bad query; client_id missing for a trainer or admin"}),
    api("GET", "/api/habits/{id:int}", habits.get_habit, access=SIGNED_IN, response=habits.HABIT, tags=("habits",),
        responses={404: "No such habit visible"}),
    api("PUT", "/api/habits/{id:int}", habits.update_habit, access=COACHES, body=habits.HABIT_UPDATE,
        response=habits.HABIT, tags=("habits",), responses={404: "No such habit of a client the caller coaches"}),
    api("DELETE", "/api/habits/{id:int}", habits.delete_habit, access=COACHES, status=204, tags=("habits",),
        responses={404: "No such habit of a client the caller coaches"}),
    api("GET", "/api/habits/{id:int}/history", habits.history, access=SIGNED_IN, query=habits.HISTORY_QUERY,
        response=habits.HABIT_HISTORY, tags=("habits",), responses={404: "No such habit visible"}),
    api("PUT", "/api/habits/{id:int}/ticks/{day}", habits.tick, access=roles("client"), body=habits.TICK,
        response=habits.TICK_OUT, tags=("habits",),
        responses={404: "No such habit of the caller's, or archived", 422: "Not a date, in the future, more than "
                   "7 days ago, or before the habit began"}),
    api("DELETE", "/api/habits/{id:int}/ticks/{day}", habits.untick, access=roles("client"), status=204,
        tags=("habits",), responses={404: "No such habit of the caller's", 422: "Not a date within the tick window"}),
    # --- notification settings ---
    api("GET", "/api/notifications/settings", mutes.get_settings, access=SIGNED_IN, response=mutes.SETTINGS,
        tags=("notifications",)),
    api("PUT", "/api/notifications/settings", mutes.set_settings, access=SIGNED_IN, body=mutes.SETTINGS_SET,
        response=mutes.SETTINGS, tags=("notifications",)),
]
