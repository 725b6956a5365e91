"""On PostgreSQL, turn the task records into a table partitioned by month on `started_at`.

Django created a plain table in 0001; this replaces it (empty at this point) with a partitioned
one of the same columns. A partitioned table's keys must hold the partition key, so the primary
key is (id, started_at) and the uniqueness (pilot, source id, started_at); ids come from a plain
sequence. The foreign key to the pilot cascades in the database. Other databases keep 0001's table.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE traffic_taskrecord DROP CONSTRAINT task_once_per_pilot;
ALTER TABLE traffic_taskrecord RENAME TO traffic_taskrecord_plain;
CREATE SEQUENCE traffic_taskrecord_pid_seq AS bigint;
CREATE TABLE traffic_taskrecord (LIKE traffic_taskrecord_plain INCLUDING DEFAULTS)
    PARTITION BY RANGE (started_at);
ALTER SEQUENCE traffic_taskrecord_pid_seq OWNED BY traffic_taskrecord.id;
ALTER TABLE traffic_taskrecord ALTER COLUMN id SET DEFAULT nextval('traffic_taskrecord_pid_seq');
ALTER TABLE traffic_taskrecord ADD PRIMARY KEY (id, started_at);
ALTER TABLE traffic_taskrecord ADD CONSTRAINT task_once_per_pilot
    UNIQUE (pilot_id, source_id, started_at);
ALTER TABLE traffic_taskrecord ADD CONSTRAINT traffic_taskrecord_pilot_fk
    FOREIGN KEY (pilot_id) REFERENCES pilots_pilot (id) ON DELETE CASCADE;
CREATE INDEX traffic_taskrecord_pilot_started ON traffic_taskrecord (pilot_id, started_at);
DROP TABLE traffic_taskrecord_plain;
"""


def partition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


class Migration(migrations.Migration):
    dependencies = [("traffic", "0001_initial"), ("pilots", "0003_use_areas")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop)]
