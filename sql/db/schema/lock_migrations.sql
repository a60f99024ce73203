-- SQLite needs no lock statement: migrations run inside BEGIN IMMEDIATE, which already excludes other writers.
SELECT 1
