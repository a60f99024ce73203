-- Keep the figures programs.attention.compute made (a JSON array of its rows), for the day they are of, each with
-- the version it was computed from; for clients the caller may see.
INSERT INTO attention_cache (client_id, version, as_of, due_7, completed_7, due_previous_7, completed_previous_7,
                             due_30, completed_30, due_90, completed_90, last_logged_at, pending_reviews,
                             last_weigh_in, upcoming)
SELECT c.id, r.version, CAST(:as_of AS DATE), r.due_7, r.completed_7, r.due_previous_7, r.completed_previous_7,
       r.due_30, r.completed_30, r.due_90, r.completed_90, r.last_logged_at, r.pending_reviews, r.last_weigh_in,
       r.upcoming
FROM jsonb_to_recordset(CAST(:rows AS JSONB))
     AS r(client_id BIGINT, version BIGINT, due_7 INTEGER, completed_7 INTEGER, due_previous_7 INTEGER,
          completed_previous_7 INTEGER, due_30 INTEGER, completed_30 INTEGER, due_90 INTEGER, completed_90 INTEGER,
          last_logged_at TIMESTAMPTZ, pending_reviews INTEGER, last_weigh_in DATE, upcoming INTEGER)
JOIN users c ON c.id = r.client_id
WHERE {{ caller_sees_client }}
ORDER BY c.id  -- PostgreSQL locks the rows in this order: two requests at once queue, never deadlock
ON CONFLICT (client_id) DO UPDATE SET version = excluded.version, as_of = excluded.as_of, due_7 = excluded.due_7,
    completed_7 = excluded.completed_7, due_previous_7 = excluded.due_previous_7,
    completed_previous_7 = excluded.completed_previous_7, due_30 = excluded.due_30,
    completed_30 = excluded.completed_30, due_90 = excluded.due_90, completed_90 = excluded.completed_90,
    last_logged_at = excluded.last_logged_at, pending_reviews = excluded.pending_reviews,
    last_weigh_in = excluded.last_weigh_in, upcoming = excluded.upcoming
