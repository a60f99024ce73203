-- The one access-log row left of a deleted client: that an admin deleted an account, on which request; no client.
INSERT INTO access_log (client_id, actor_id, actor_role, kind, address, user_agent, request_id, created_at)
VALUES (NULL, :actor_id, 'admin', 'account.deleted', :address, :user_agent, :request_id, :now)
