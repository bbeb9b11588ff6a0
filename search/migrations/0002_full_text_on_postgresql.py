"""On PostgreSQL: the entries' words as a stored tsvector (title words
weighing most) under a GIN index, which search.selectors queries. Other
databases search the document text and get neither."""

from django.db import migrations

VECTOR = """
ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_terms), 'A') || to_tsvector('simple', document)
    ) STORED;
CREATE INDEX search_entry_vector ON search_searchentry USING gin (search_vector);
"""
NO_VECTOR = """
DROP INDEX IF EXISTS search_entry_vector;
ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(VECTOR)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_VECTOR)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
