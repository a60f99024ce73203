-- PostgreSQL only (SQLite delivers in memory): hand one event batch to every process LISTENing on the channel.
SELECT pg_notify(:channel, :payload)
