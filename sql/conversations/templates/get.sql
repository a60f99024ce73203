-- One template with its questions in order: its owner's, or any for an admin.
SELECT t.id, t.owner_id, t.title, t.created_at, t.updated_at,
       q.id AS question_id, q.position, q.kind, q.prompt, q.unit
FROM check_in_templates t
LEFT JOIN check_in_questions q ON q.template_id = t.id
WHERE t.id = :id AND (:caller_role = 'admin' OR t.owner_id = :caller_id)
ORDER BY q.position
