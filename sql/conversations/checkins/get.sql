-- One check-in with its answers (in the questions' order), for whoever may see the client.
SELECT k.id, k.client_id, k.template_id, k.period_start, k.submitted_at, k.reply, k.replied_by, k.replied_at,
       t.title, q.id AS question_id, q.position, q.kind, q.prompt, q.unit, a.value_number, a.value_text,
       a.photo_file
FROM check_ins k
JOIN users c ON c.id = k.client_id
 AND {{ caller_sees_client }}
JOIN check_in_templates t ON t.id = k.template_id
LEFT JOIN check_in_answers a ON a.check_in_id = k.id
LEFT JOIN check_in_questions q ON q.id = a.question_id
WHERE k.id = :id
ORDER BY q.position
