-- How many comments page.sql pages through.
SELECT count(*)
FROM workout_comments k
JOIN users c ON c.id = k.client_id
 AND {{ caller_sees_client }}
WHERE k.workout_id = :workout_id
