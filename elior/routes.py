"""The one route table: every route of the service, each declaring who may call it, on one screen per domain."""
from __future__ import annotations

from starlette.routing import BaseRoute

from elior.accounts import auth as accounts
from elior.accounts import invites, users
from elior.accounts import routes as account_routes  # password reset, sessions
from elior.accounts import two_factor_routes as two_factor  # two-factor
from elior.audit import routes as audit  # the access log, account deletion
from elior.bookings import routes as bookings
from elior.conversations import routes as conversations
from elior.exports import import_routes  # POST /api/imports
from elior.exports import routes as export_routes  # /api/exports
from elior.files import endpoints as files
from elior.live import channels as realtime
from elior.mail import routes as mail_routes
from elior.media import sniff
from elior.notifications import inbox as notifications
from elior.notifications import routes as notification_routes  # e-mail notification preferences
from elior.nutrition import meal_entries, meal_plans
from elior.ops import monitoring, system
from elior.programs import routes as programs
from elior.progress import entries as progress
from elior.progress import reports as progress_reports
from elior.training import exercises, workouts
from elior.training import logs as workout_logs
from elior.web import spa
from elior.web.routing import PUBLIC, SIGNED_IN, api, role_or_token, roles
from elior.web.schema import Binary

# The upload's multipart form as /docs offers it: the fields elior.files validates, plus the file part it streams.
UPLOAD_FORM = files.UPLOAD_FIELDS.extend("FileUpload", {"file": Binary(
    required=True, description="a JPEG, PNG, WebP or HEIC photo, or a PDF for `document`; the type is judged by the "
    "bytes")})


def route_table() -> list[BaseRoute]:
    """Every route of the service, each declaring who may call it."""
    return [
        # --- system ---
        api("GET", "/health", system.health, access=PUBLIC, response=system.HEALTH, tags=("system",)),
        api("GET", "/openapi.json", system.openapi_document, access=PUBLIC, media_types=("application/json",),
            tags=("system",)),
        api("GET", "/docs", system.docs_page, access=PUBLIC, media_types=("text/html",), tags=("system",)),
        # --- accounts: auth, users, invites ---
        api("POST", "/api/auth/setup", accounts.setup, access=PUBLIC, body=accounts.SETUP, response=users.USER,
            status=201, tags=("auth",), responses={403: "Wrong setup token", 404: "An admin already exists"}),
        api("POST", "/api/auth/login", accounts.login, access=PUBLIC, body=accounts.LOGIN, parse_body=False,
            forms={"application/x-www-form-urlencoded": accounts.LOGIN_FORM}, response=accounts.TOKENS, tags=("auth",),
            responses={401: "Wrong email or password", 429: "Too many failed logins (see Retry-After)"}),
        api("POST", "/api/auth/refresh", accounts.refresh, access=PUBLIC, body=accounts.REFRESH,
            response=accounts.TOKENS, tags=("auth",), responses={401: "Invalid, expired or reused refresh token"}),
        api("POST", "/api/auth/logout", accounts.logout, access=SIGNED_IN, status=204, tags=("auth",)),
        api("POST", "/api/auth/register", accounts.register, access=PUBLIC, body=accounts.REGISTER,
            response=users.USER, status=201, tags=("auth",),
            responses={403: "Registration needs an invite", 404: "Unknown invite code", 409: "Email taken",
                       410: "Invite used or expired"}),
        api("GET", "/api/auth/me", accounts.me, access=SIGNED_IN, response=users.USER, tags=("auth",)),
        api("POST", "/api/auth/password", accounts.change_password, access=SIGNED_IN, body=accounts.PASSWORD_CHANGE,
            status=204, tags=("auth",), responses={403: "Wrong current password", 429: "Too many failed attempts"}),
        api("POST", "/api/invites", invites.create_invite, access=roles("trainer", "admin"),
            body=invites.INVITE_CREATE, response=invites.INVITE, status=201, tags=("invites",)),
        api("GET", "/api/invites", invites.list_invites, access=roles("trainer", "admin"),
            query=invites.INVITE_QUERY, response=invites.INVITE_LIST, tags=("invites",)),
        api("DELETE", "/api/invites/{code}", invites.delete_invite, access=roles("trainer", "admin"), status=204,
            tags=("invites",), responses={404: "No such invite of the caller's"}),
        api("GET", "/api/users", users.list_users, access=roles("trainer", "admin"), query=users.USER_QUERY,
            response=users.USER_LIST, tags=("users",)),
        api("POST", "/api/users", users.create_user, access=roles("trainer", "admin"), body=users.USER_CREATE,
            response=users.USER, status=201, tags=("users",), responses={409: "Email taken"}),
        api("GET", "/api/users/{id:int}", users.get_user, access=SIGNED_IN, response=users.USER, tags=("users",),
            responses={404: "No such user visible to the caller"}),
        api("PUT", "/api/users/{id:int}", users.update_user, access=SIGNED_IN, body=users.USER_UPDATE,
            response=users.USER, tags=("users",),
            responses={404: "No such user visible to the caller", 409: "Email taken, or a trainer with clients"}),
        api("DELETE", "/api/users/{id:int}", users.delete_user, access=roles("admin"), status=204, tags=("users",),
            responses={404: "No such user"}),
        *account_routes.ROUTES,  # password reset, sessions, the studio's language
        *two_factor.ROUTES,  # two-factor
        *notification_routes.ROUTES,  # e-mail notification preferences
        # --- training: exercises, workouts ---
        api("GET", "/api/exercises", exercises.list_exercises, access=SIGNED_IN, query=exercises.EXERCISE_QUERY,
            response=exercises.EXERCISE_PAGE, tags=("exercises",)),
        api("POST", "/api/exercises", exercises.create_exercise, access=roles("trainer", "admin"),
            body=exercises.EXERCISE, response=exercises.EXERCISE_OUT, status=201, tags=("exercises",)),
        api("GET", "/api/exercises/{id:int}", exercises.get_exercise, access=SIGNED_IN,
            response=exercises.EXERCISE_OUT, tags=("exercises",), responses={404: "No such exercise"}),
        api("PUT", "/api/exercises/{id:int}", exercises.update_exercise, access=roles("trainer", "admin"),
            body=exercises.EXERCISE_UPDATE, response=exercises.EXERCISE_OUT, tags=("exercises",),
            responses={403: "Not the exercise's creator (nor an admin)", 404: "No such exercise"}),
        api("DELETE", "/api/exercises/{id:int}", exercises.delete_exercise, access=roles("trainer", "admin"),
            status=204, tags=("exercises",),
            responses={403: "Not the exercise's creator (nor an admin)", 404: "No such exercise",
                       409: "A workout or a logged set still uses it"}),
        api("GET", "/api/exercises/{id:int}/history", workout_logs.exercise_history, access=SIGNED_IN,
            query=workout_logs.HISTORY_QUERY, response=workout_logs.HISTORY_OUT, tags=("exercises",),
            responses={404: "No such exercise, or the client is not visible to the caller",
                       422: "Bad query; client_id missing for a trainer or admin"}),
        api("GET", "/api/workouts", workouts.list_workouts, access=SIGNED_IN, query=workouts.WORKOUT_QUERY,
            response=workouts.WORKOUT_PAGE, tags=("workouts",),
            responses={422: "Bad filter, unknown order field, or from after to"}),
        api("POST", "/api/workouts", workouts.create_workout, access=roles("trainer", "admin"),
            body=workouts.WORKOUT, response=workouts.WORKOUT_OUT, status=201, tags=("workouts",),
            responses={404: "The client does not exist or is not the caller's client",
                       422: "Bad body, or an exercise_id that does not exist (loc names its index)"}),
        api("GET", "/api/workouts/{id:int}", workouts.get_workout, access=SIGNED_IN,
            response=workouts.WORKOUT_OUT, tags=("workouts",), responses={404: workouts.NOT_YOURS}),
        api("PUT", "/api/workouts/{id:int}", workouts.update_workout, access=roles("trainer", "admin"),
            body=workouts.WORKOUT_UPDATE, response=workouts.WORKOUT_OUT, tags=("workouts",),
            responses={404: workouts.NOT_YOURS, 409: "The workout was logged; its status stays completed",
                       422: "Bad body, or an exercise_id that does not exist (loc names its index)"}),
        api("DELETE", "/api/workouts/{id:int}", workouts.delete_workout, access=roles("trainer", "admin"),
            status=204, tags=("workouts",),
            responses={404: workouts.NOT_YOURS, 409: "The workout was logged: its log is the client's history"}),
        api("POST", "/api/workouts/{id:int}/copy", workouts.copy_workout, access=roles("trainer", "admin"),
            body=workouts.COPY, response=workouts.WORKOUT_OUT, status=201, tags=("workouts",),
            responses={404: "The workout, or the target client, is not the caller's"}),
        api("POST", "/api/workouts/{id:int}/log", workout_logs.create_log, access=SIGNED_IN, body=workout_logs.LOG,
            response=workout_logs.LOG_OUT, status=201, tags=("workouts",),
            responses={404: workouts.NOT_YOURS, 409: "The workout has already been logged",
                       422: "Bad body, an exercise_id that does not exist, or a repeated set"}),
        api("GET", "/api/workouts/{id:int}/log", workout_logs.get_log, access=SIGNED_IN,
            response=workout_logs.LOG_OUT, tags=("workouts",),
            responses={404: "Not visible to the caller, or not logged yet"}),
        # --- nutrition and progress: meal plans, meal entries, progress ---
        api("GET", "/api/meal-plans", meal_plans.list_plans, access=SIGNED_IN, query=meal_plans.LIST_QUERY,
            response=meal_plans.PLAN_LIST, tags=("meal plans",), responses={404: "Client not visible"}),
        api("POST", "/api/meal-plans", meal_plans.create_plan, access=roles("trainer", "admin"),
            body=meal_plans.PLAN_CREATE, response=meal_plans.PLAN_OUT, status=201, tags=("meal plans",),
            responses={404: "Client not visible"}),
        api("GET", "/api/meal-plans/{id:int}", meal_plans.get_plan, access=SIGNED_IN, response=meal_plans.PLAN_OUT,
            tags=("meal plans",), responses={404: "No such plan visible"}),
        api("PUT", "/api/meal-plans/{id:int}", meal_plans.update_plan, access=roles("trainer", "admin"),
            body=meal_plans.PLAN_UPDATE, response=meal_plans.PLAN_OUT, tags=("meal plans",),
            responses={404: "No such plan visible"}),
        api("DELETE", "/api/meal-plans/{id:int}", meal_plans.delete_plan, access=roles("trainer", "admin"),
            status=204, tags=("meal plans",), responses={404: "No such plan visible"}),
        api("GET", "/api/meal-plans/{id:int}/adherence", meal_entries.adherence, access=SIGNED_IN,
            query=meal_entries.ADHERENCE_QUERY, response=meal_entries.ADHERENCE_OUT, tags=("meal plans",),
            responses={404: "No such plan visible"}),
        api("POST", "/api/meal-plans/{id:int}/entries", meal_entries.create_entry, access=roles("client"),
            body=meal_entries.ENTRY_CREATE, response=meal_entries.ENTRY_OUT, status=201, tags=("meal entries",),
            responses={404: "No such plan visible"}),
        api("GET", "/api/meal-plans/{id:int}/entries", meal_entries.list_entries, access=SIGNED_IN,
            query=meal_entries.LIST_QUERY, response=meal_entries.ENTRY_LIST, tags=("meal entries",),
            responses={404: "No such plan visible"}),
        api("GET", "/api/meal-plans/{id:int}/entries/{entry_id:int}", meal_entries.get_entry, access=SIGNED_IN,
            response=meal_entries.ENTRY_OUT, tags=("meal entries",), responses={404: "No such entry visible"}),
        api("PUT", "/api/meal-plans/{id:int}/entries/{entry_id:int}", meal_entries.update_entry,
            access=roles("client"), body=meal_entries.ENTRY_UPDATE, response=meal_entries.ENTRY_OUT,
            tags=("meal entries",), responses={404: "No such entry visible", 409: "Already reviewed"}),
        api("PUT", "/api/meal-plans/{id:int}/entries/{entry_id:int}/review", meal_entries.review_entry,
            access=roles("trainer", "admin"), body=meal_entries.REVIEW, response=meal_entries.ENTRY_OUT,
            tags=("meal entries",), responses={404: "No such entry visible"}),
        api("GET", "/api/progress", progress.list_entries, access=SIGNED_IN, query=progress.LIST_QUERY,
            response=progress.ENTRY_LIST, tags=("progress",), responses={404: "Client not visible"}),
        api("POST", "/api/progress", progress.create_entry, access=SIGNED_IN, body=progress.PROGRESS_CREATE,
            response=progress.ENTRY_OUT, status=201, tags=("progress",),
            responses={404: "Client not visible", 409: "An entry exists on that date"}),
        api("GET", "/api/progress/summary", progress_reports.summary, access=SIGNED_IN,
            query=progress_reports.REPORT_QUERY, response=progress_reports.SUMMARY_OUT, tags=("progress",),
            responses={404: "Client not visible"}),
        api("GET", "/api/progress/export.csv", progress_reports.export_csv, access=SIGNED_IN,
            query=progress_reports.EXPORT_QUERY, media_types=("text/csv",), tags=("progress",),
            responses={404: "Client not visible"}),
        api("GET", "/api/progress/{id:int}", progress.get_entry, access=SIGNED_IN, response=progress.ENTRY_OUT,
            tags=("progress",), responses={404: "No such entry visible"}),
        api("PUT", "/api/progress/{id:int}", progress.update_entry, access=SIGNED_IN, body=progress.PROGRESS_UPDATE,
            response=progress.ENTRY_OUT, tags=("progress",),
            responses={404: "No such entry visible", 409: "An entry exists on that date"}),
        api("DELETE", "/api/progress/{id:int}", progress.delete_entry, access=SIGNED_IN, status=204,
            tags=("progress",), responses={404: "No such entry visible"}),
        # --- files ---
        api("POST", "/api/files/upload", files.upload, access=SIGNED_IN, forms={"multipart/form-data": UPLOAD_FORM},
            response=files.FILE, status=201, tags=("files",),
            responses={404: "client_id is not a client the caller may see", 413: "Larger than MAX_UPLOAD_MB, or over "
                       "the account's UPLOAD_QUOTA_MB", 415: "Not an allowed type for the purpose (judged by content)",
                       503: "The virus scanner is configured but unreachable"}),
        api("GET", "/api/files", files.list_files, access=SIGNED_IN, query=files.LIST_QUERY,
            response=files.FILE_PAGE, tags=("files",)),
        api("GET", "/api/files/{filename}", files.read, access=PUBLIC, query=files.GET_QUERY,
            media_types=tuple(sniff.BY_CONTENT_TYPE), tags=("files",),
            responses={401: "No bearer token and no ?sig=", 403: "The signed URL is invalid or expired",
                       404: "No such file, or not visible to the caller", 416: "The range lies outside the file"}),
        api("DELETE", "/api/files/{filename}", files.delete, access=SIGNED_IN, status=204, tags=("files",),
            responses={404: "No such file, or not visible to the caller"}),
        # --- notifications and live updates ---
        api("GET", "/api/notifications", notifications.list_notifications, access=SIGNED_IN,
            query=notifications.LIST_QUERY, response=notifications.NOTIFICATION_LIST, tags=("notifications",)),
        api("POST", "/api/notifications/read-all", notifications.mark_all_read, access=SIGNED_IN, status=204,
            tags=("notifications",)),
        api("POST", "/api/notifications/{id:int}/read", notifications.mark_read, access=SIGNED_IN, status=204,
            tags=("notifications",), responses={404: "No such notification of the caller's"}),
        # --- programs ---
        *programs.ROUTES,
        # --- conversations ---
        *conversations.ROUTES,
        # --- bookings ---
        *bookings.ROUTES,
        *audit.ROUTES,  # the access log, account deletion
        *import_routes.ROUTES,  # an admin loads a client's export archive
        *export_routes.ROUTES,  # a client's data as one ZIP, with progress and a signed link
        *realtime.routes(),
        # --- operations: metrics, system health, logs ---
        api("GET", "/health/detailed", monitoring.health_detailed, access=roles("admin"),
            response=monitoring.SYSTEM_HEALTH, tags=("system",), responses={503: "The database does not answer"}),
        api("GET", "/api/system/health", monitoring.health_detailed, access=roles("admin"),
            response=monitoring.SYSTEM_HEALTH, tags=("system",), responses={503: "The database does not answer"}),
        api("GET", "/metrics", monitoring.prometheus, access=role_or_token("admin", "metrics_token"),
            media_types=("text/plain",), tags=("system",),
            responses={401: "No admin token and no METRICS_TOKEN", 403: "Signed in, but not an admin"}),
        api("GET", "/api/system/metrics", monitoring.metrics_json, access=roles("admin"), tags=("system",)),
        *mail_routes.ROUTES,
        api("GET", "/api/system/logs", monitoring.recent_logs, access=roles("admin"), query=monitoring.LOG_QUERY,
            tags=("system",)),
        # Last: anything else outside /api/ and /ws/ is the browser app.
        spa.route(),
    ]
