-- Marks the token used; no row back means another request rotated it first (treated as reuse).
UPDATE refresh_tokens SET rotated_at = :now
WHERE id = :id AND rotated_at IS NULL
RETURNING id
