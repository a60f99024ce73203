-- One entry for a client the caller may see (the one scope shape of sql/README.md), one per client and date: no row
-- comes back when the client is not visible or already has an entry on that date, and the caller asks which only
-- then (elior.progress.entries.create_entry), so the check and the write are one statement. The row comes back
-- whole, as progress/get.sql reads it less its photos (the write knows those): the create answers without reading
-- the entry again.
INSERT INTO progress_entries (client_id, date, weight_kg, body_fat_pct, chest_cm, waist_cm, hips_cm, arm_cm,
                              thigh_cm, notes, created_by, created_at, updated_at)
SELECT c.id, :date, :weight_kg, :body_fat_pct, :chest_cm, :waist_cm, :hips_cm, :arm_cm,
       :thigh_cm, :notes, :caller_id, :now, :now
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_sees_client }}
ON CONFLICT (client_id, date) DO NOTHING
RETURNING id, client_id, date, weight_kg, body_fat_pct, chest_cm, waist_cm, hips_cm, arm_cm, thigh_cm, notes,
          created_by, created_at, updated_at
