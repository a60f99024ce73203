-- Every scale and number answer of a client over time, by question: what the check-in charts draw.
SELECT q.id AS question_id, q.prompt, q.kind, q.unit, k.period_start, a.value_number
FROM check_ins k
JOIN users c ON c.id = k.client_id
 AND {{ caller_sees_client }}
JOIN check_in_answers a ON a.check_in_id = k.id
JOIN check_in_questions q ON q.id = a.question_id
WHERE k.client_id = :client_id AND q.kind IN ('scale', 'number') AND a.value_number IS NOT NULL
ORDER BY q.id, k.period_start
