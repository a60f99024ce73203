-- How many entries review_queue.page_all pages through.
SELECT COUNT(*)
FROM users c
JOIN meal_entries e ON e.client_id = c.id AND e.status = :status
WHERE c.role = 'client' AND {{ caller_sees_client }}
