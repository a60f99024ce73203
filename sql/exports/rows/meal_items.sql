-- The items of those meals.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT i.* FROM meal_items i JOIN meals m ON m.id = i.meal_id JOIN meal_plans p ON p.id = m.plan_id
WHERE p.client_id = :client_id
  AND i.id > :after
ORDER BY i.id
LIMIT :limit
