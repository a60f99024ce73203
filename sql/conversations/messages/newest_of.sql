-- The id of a thread's newest message (seeding and the benchmark: no caller).
SELECT max(m.id) FROM messages m WHERE m.client_id = :client_id
