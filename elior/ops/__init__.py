"""Operations: metrics, logs, caches, health and monitoring, backup and restore, graceful shutdown."""
