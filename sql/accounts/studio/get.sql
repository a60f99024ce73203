-- The studio's settings (one row): the language a device shows before anyone signs in.
SELECT language FROM studio_settings WHERE id = 1
