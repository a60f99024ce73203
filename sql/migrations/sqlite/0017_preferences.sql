-- Units (issue 17): how a user wants weights and lengths shown and typed. Storage stays metric everywhere
-- (`weight_kg`, `*_cm`); these only steer the conversion at the edges (the browser app, the progress CSV export).
-- Same columns and checks in both dialects.
ALTER TABLE users ADD COLUMN units_weight TEXT NOT NULL DEFAULT 'kg' CHECK (units_weight IN ('kg', 'lb'));
ALTER TABLE users ADD COLUMN units_length TEXT NOT NULL DEFAULT 'cm' CHECK (units_length IN ('cm', 'in'));
