-- The ticks of a client's habits from :since on, for weeks and streaks.
SELECT t.habit_id, t.day, t.value
FROM habits h
JOIN users c ON c.id = h.client_id
 AND {{ caller_sees_client }}
JOIN habit_ticks t ON t.habit_id = h.id
WHERE h.client_id = :client_id AND t.day >= :since
ORDER BY t.habit_id, t.day
