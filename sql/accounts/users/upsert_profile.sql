INSERT INTO profiles (user_id, phone, date_of_birth, height_cm, goals, medical_notes)
VALUES (:user_id, :phone, :date_of_birth, :height_cm, :goals, :medical_notes)
ON CONFLICT (user_id) DO UPDATE
SET phone = excluded.phone, date_of_birth = excluded.date_of_birth, height_cm = excluded.height_cm,
    goals = excluded.goals, medical_notes = excluded.medical_notes
