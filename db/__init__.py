"""Case database: SQLAlchemy models, engine, queries and Alembic migrations."""
