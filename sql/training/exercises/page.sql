-- One page of the library. `sort` is the position of `?order=` in the allow-list of elior/training/exercises.py.
SELECT e.id, e.name, e.description, e.muscle_group, e.equipment, e.instructions, e.video_url, e.created_by,
       e.created_at, e.updated_at
FROM exercises e
WHERE (CAST(:pattern AS TEXT) IS NULL OR lower(e.name) LIKE :pattern ESCAPE '!')
  AND (CAST(:muscle_group AS TEXT) IS NULL OR e.muscle_group = :muscle_group)
  AND (CAST(:equipment AS TEXT) IS NULL OR e.equipment = :equipment)
ORDER BY CASE WHEN :sort = 0 THEN lower(e.name) END,
         CASE WHEN :sort = 1 THEN lower(e.name) END DESC,
         CASE WHEN :sort = 2 THEN e.created_at END,
         CASE WHEN :sort = 3 THEN e.created_at END DESC,
         e.id
LIMIT :limit OFFSET :offset
