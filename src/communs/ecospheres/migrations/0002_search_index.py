"""The full-text index of datasets' French stems: FTS5 on SQLite, a GIN tsvector index on PostgreSQL.

`Dataset.search_text` holds stems computed in Python (`engine/text.py`), so both back-ends index
plain words: FTS5 with its `unicode61` tokenizer in an external-content table kept in sync by
triggers, PostgreSQL with `to_tsvector('simple', search_text)`.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE ecospheres_dataset_fts USING fts5("
    "search_text, content='ecospheres_dataset', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER ecospheres_dataset_fts_ai AFTER INSERT ON ecospheres_dataset BEGIN "
    "INSERT INTO ecospheres_dataset_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER ecospheres_dataset_fts_ad AFTER DELETE ON ecospheres_dataset BEGIN "
    "INSERT INTO ecospheres_dataset_fts(ecospheres_dataset_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER ecospheres_dataset_fts_au AFTER UPDATE OF search_text ON ecospheres_dataset BEGIN "
    "INSERT INTO ecospheres_dataset_fts(ecospheres_dataset_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO ecospheres_dataset_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO ecospheres_dataset_fts(ecospheres_dataset_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS ecospheres_dataset_fts_au",
    "DROP TRIGGER IF EXISTS ecospheres_dataset_fts_ad",
    "DROP TRIGGER IF EXISTS ecospheres_dataset_fts_ai",
    "DROP TABLE IF EXISTS ecospheres_dataset_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX ecospheres_dataset_search_gin ON ecospheres_dataset "
    "USING gin (to_tsvector('simple', search_text))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS ecospheres_dataset_search_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("ecospheres", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
