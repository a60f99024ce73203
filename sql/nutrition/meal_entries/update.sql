-- The client's own edit, only while the entry is still pending: once reviewed it is the trainer's record.
UPDATE meal_entries
SET date = :date, meal_name = :meal_name, description = :description, photo_file = :photo_file,
    kcal = :kcal, protein_g = :protein_g, carbs_g = :carbs_g, fat_g = :fat_g, updated_at = :now
WHERE id = :entry_id AND plan_id = :plan_id AND client_id = :caller_id AND status = 'pending'
RETURNING id, plan_id, client_id, date, meal_name, description, photo_file, kcal, protein_g, carbs_g, fat_g,
          status, review_comment, reviewed_by, reviewed_at, created_at, updated_at
