-- Languages (issue 17): the browser app speaks English and Hebrew. A user's own choice (NULL: the studio's), and the
-- studio's language, which the owner sets and which a device shows before anyone signs in. One row, id 1.
-- Same columns and checks in both dialects.
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('en', 'he'));
CREATE TABLE studio_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'he'))
);
INSERT INTO studio_settings (id, language) VALUES (1, 'en');
