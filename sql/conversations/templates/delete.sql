-- Deletes a template of the caller's (an admin: any) that no schedule and no answered check-in uses.
DELETE FROM check_in_templates
WHERE id = :id AND (:caller_role = 'admin' OR owner_id = :caller_id)
  AND NOT EXISTS (SELECT 1 FROM check_in_schedules s WHERE s.template_id = check_in_templates.id)
  AND NOT EXISTS (SELECT 1 FROM check_ins k WHERE k.template_id = check_in_templates.id)
RETURNING id
