-- The owner sets the studio's language.
UPDATE studio_settings SET language = :language WHERE id = 1
