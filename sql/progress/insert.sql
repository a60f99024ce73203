-- One entry per client and date: a second one inserts nothing and returns no row (answered 409).
INSERT INTO progress_entries (client_id, date, weight_kg, body_fat_pct, chest_cm, waist_cm, hips_cm, arm_cm,
                              thigh_cm, notes, created_by, created_at, updated_at)
VALUES (:client_id, :date, :weight_kg, :body_fat_pct, :chest_cm, :waist_cm, :hips_cm, :arm_cm,
        :thigh_cm, :notes, :caller_id, :now, :now)
ON CONFLICT (client_id, date) DO NOTHING
RETURNING id
