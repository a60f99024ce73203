SELECT COUNT(*) FROM users WHERE trainer_id = :trainer_id
