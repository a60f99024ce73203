-- The client takes back a day's tick of their own habit.
DELETE FROM habit_ticks
WHERE habit_id = :id AND day = :day
  AND EXISTS (SELECT 1 FROM habits h JOIN users c ON c.id = h.client_id
              WHERE h.id = habit_ticks.habit_id AND c.id = :caller_id AND {{ caller_sees_client }})
RETURNING habit_id
