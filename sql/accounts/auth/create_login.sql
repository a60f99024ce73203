INSERT INTO logins (user_id, created_at, user_agent, address)
VALUES (:user_id, :now, :user_agent, :address)
RETURNING id
