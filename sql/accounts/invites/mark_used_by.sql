UPDATE invites SET used_by = :user_id WHERE code = :code
