-- Import: the columns of one table and their declared types (see columns.sql), from SQLite's table_info.
SELECT name, type FROM pragma_table_info(:table)
