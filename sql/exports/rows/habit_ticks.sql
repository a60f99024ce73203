-- The ticks of the client's habits.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). The key has two columns: pages by offset, in key order.
SELECT x.* FROM habit_ticks x JOIN habits h ON h.id = x.habit_id WHERE h.client_id = :client_id
ORDER BY x.habit_id, x.day
LIMIT :limit OFFSET :offset
