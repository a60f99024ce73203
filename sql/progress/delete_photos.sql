DELETE FROM progress_photos WHERE entry_id = :entry_id
