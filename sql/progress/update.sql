UPDATE progress_entries
SET date = :date, weight_kg = :weight_kg, body_fat_pct = :body_fat_pct, chest_cm = :chest_cm,
    waist_cm = :waist_cm, hips_cm = :hips_cm, arm_cm = :arm_cm, thigh_cm = :thigh_cm, notes = :notes,
    updated_at = :now
WHERE id = :id
  AND client_id IN (SELECT c.id FROM users c
                    WHERE :caller_role = 'admin' OR c.id = :caller_id OR c.trainer_id = :caller_id)
