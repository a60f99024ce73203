-- The units a user shows and types weights and lengths in (elior/accounts/units.py); storage stays metric.
UPDATE users SET units_weight = :units_weight, units_length = :units_length, updated_at = :now
WHERE id = :id
