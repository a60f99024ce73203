-- The caller's templates (an admin: every one), newest first, with their questions in order.
WITH page AS (
    SELECT t.id, t.owner_id, t.title, t.created_at, t.updated_at
    FROM check_in_templates t
    WHERE :caller_role = 'admin' OR t.owner_id = :caller_id
    ORDER BY t.id DESC
    LIMIT :limit OFFSET :offset
)
SELECT page.*, q.id AS question_id, q.position, q.kind, q.prompt, q.unit
FROM page
LEFT JOIN check_in_questions q ON q.template_id = page.id
ORDER BY page.id DESC, q.position
