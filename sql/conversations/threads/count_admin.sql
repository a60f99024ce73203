-- How many threads list_admin pages through.
SELECT count(*)
FROM conversations th
WHERE :caller_role = 'admin' AND th.last_message_id IS NOT NULL
