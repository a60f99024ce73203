-- A user's own language (NULL: the studio's); static/src/i18n.js says which wins.
UPDATE users SET language = :language, updated_at = :now WHERE id = :id
