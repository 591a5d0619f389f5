"""Persistence: Peewee models on SQLite, migrations and read queries. No Qt here."""
