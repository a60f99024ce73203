-- How many entries review_queue.page_trainer pages through.
SELECT COUNT(*)
FROM users c
JOIN meal_entries e ON e.client_id = c.id AND e.status = :status
WHERE c.trainer_id = :trainer_id AND {{ caller_sees_client }}
