INSERT INTO progress_photos (entry_id, filename, position) VALUES (:entry_id, :filename, :position)
