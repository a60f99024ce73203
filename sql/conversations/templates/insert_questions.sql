INSERT INTO check_in_questions (template_id, position, kind, prompt, unit)
VALUES (:template_id, :position, :kind, :prompt, :unit)
