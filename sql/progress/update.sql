UPDATE progress_entries
SET date = :date, weight_kg = :weight_kg, body_fat_pct = :body_fat_pct, chest_cm = :chest_cm,
    waist_cm = :waist_cm, hips_cm = :hips_cm, arm_cm = :arm_cm, thigh_cm = :thigh_cm, notes = :notes,
    updated_at = :now
WHERE id = :id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = progress_entries.client_id AND {{ caller_sees_client }})
