"""The store: the DuckDB schema and its migrations, every SQL statement, the database handle."""
