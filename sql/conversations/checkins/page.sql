-- A client's check-ins, newest period first, with their answers.
WITH page AS (
    SELECT k.id, k.client_id, k.template_id, k.period_start, k.submitted_at, k.reply, k.replied_by, k.replied_at
    FROM check_ins k
    JOIN users c ON c.id = k.client_id
     AND {{ caller_sees_client }}
    WHERE k.client_id = :client_id
    ORDER BY k.period_start DESC
    LIMIT :limit OFFSET :offset
)
SELECT page.*, t.title, q.id AS question_id, q.position, q.kind, q.prompt, q.unit, a.value_number, a.value_text,
       a.photo_file
FROM page
JOIN check_in_templates t ON t.id = page.template_id
LEFT JOIN check_in_answers a ON a.check_in_id = page.id
LEFT JOIN check_in_questions q ON q.id = a.question_id
ORDER BY page.period_start DESC, q.position
