-- Only the creator or an admin: a trainer's edit of someone else's exercise changes no row.
UPDATE exercises
SET name = :name, description = :description, muscle_group = :muscle_group, equipment = :equipment,
    instructions = :instructions, video_url = :video_url, updated_at = :now
WHERE id = :id AND (:caller_role = 'admin' OR created_by = :caller_id)
RETURNING id, name, description, muscle_group, equipment, instructions, video_url, created_by, created_at, updated_at
