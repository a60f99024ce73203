-- Keep the figures programs.attention.compute made (a JSON array of its rows), for the day they are of, each with
-- the version it was computed from; for clients the caller may see.
INSERT INTO attention_cache (client_id, version, as_of, due_7, completed_7, due_previous_7, completed_previous_7,
                             due_30, completed_30, due_90, completed_90, last_logged_at, pending_reviews,
                             last_weigh_in, upcoming)
SELECT c.id, json_extract(json_each.value, '$.version'), :as_of, json_extract(json_each.value, '$.due_7'),
       json_extract(json_each.value, '$.completed_7'), json_extract(json_each.value, '$.due_previous_7'),
       json_extract(json_each.value, '$.completed_previous_7'), json_extract(json_each.value, '$.due_30'),
       json_extract(json_each.value, '$.completed_30'), json_extract(json_each.value, '$.due_90'),
       json_extract(json_each.value, '$.completed_90'), json_extract(json_each.value, '$.last_logged_at'),
       json_extract(json_each.value, '$.pending_reviews'), json_extract(json_each.value, '$.last_weigh_in'),
       json_extract(json_each.value, '$.upcoming')
FROM json_each(:rows)
JOIN users c ON c.id = json_extract(json_each.value, '$.client_id')
WHERE {{ caller_sees_client }}
ORDER BY c.id  -- PostgreSQL locks the rows in this order: two requests at once queue, never deadlock
ON CONFLICT (client_id) DO UPDATE SET version = excluded.version, as_of = excluded.as_of, due_7 = excluded.due_7,
    completed_7 = excluded.completed_7, due_previous_7 = excluded.due_previous_7,
    completed_previous_7 = excluded.completed_previous_7, due_30 = excluded.due_30,
    completed_30 = excluded.completed_30, due_90 = excluded.due_90, completed_90 = excluded.completed_90,
    last_logged_at = excluded.last_logged_at, pending_reviews = excluded.pending_reviews,
    last_weigh_in = excluded.last_weigh_in, upcoming = excluded.upcoming
