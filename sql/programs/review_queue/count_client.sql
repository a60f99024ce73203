-- How many entries review_queue.page_client pages through.
SELECT COUNT(*)
FROM meal_entries e
JOIN users c ON c.id = e.client_id
 AND {{ caller_sees_client }}
WHERE e.client_id = :client_id AND c.id = :client_id AND e.status = :status
