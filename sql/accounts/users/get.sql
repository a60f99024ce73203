-- One user as the API shows it, only if the caller may see them (sql/shared/caller_sees_client.sql): themself, a
-- trainer's client, anyone for an admin.
SELECT {{ user_columns }}
FROM users c
LEFT JOIN profiles p ON p.user_id = c.id
WHERE c.id = :id
  AND {{ caller_sees_client }}
