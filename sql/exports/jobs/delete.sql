-- One expired export's row, once its file is gone.
DELETE FROM exports WHERE id = :id AND expires_at <= :now
