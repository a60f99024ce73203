-- Replacing a plan's meals: their items go with them (ON DELETE CASCADE).
DELETE FROM meals WHERE plan_id = :plan_id
