-- The attention queue of trainer_id's clients, from the figures kept per client (attention_cache): each row with
-- the client's current version, so that the endpoint recomputes only the rows that are stale (another day, or a
-- change since). Three primary-key lookups per client, whatever the length of their history.
SELECT c.id AS client_id, c.full_name AS client_name, c.trainer_id, COALESCE(v.version, 0) AS version,
       k.version AS cached_version, k.as_of, k.due_7, k.completed_7, k.due_previous_7, k.completed_previous_7,
       k.due_30, k.completed_30, k.due_90, k.completed_90, k.last_logged_at, k.pending_reviews, k.last_weigh_in,
       k.upcoming
FROM users c
LEFT JOIN attention_versions v ON v.client_id = c.id
LEFT JOIN attention_cache k ON k.client_id = c.id
WHERE c.trainer_id = :trainer_id AND c.role = 'client' AND c.is_active = TRUE AND {{ caller_sees_client }}
