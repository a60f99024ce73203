-- The owner sets the studio's language (an upsert: the migration writes row 1, but an answer of 200 must never rest
-- on a row being there).
INSERT INTO studio_settings (id, language) VALUES (1, :language)
ON CONFLICT (id) DO UPDATE SET language = excluded.language
