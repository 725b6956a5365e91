"""What an ingest paid once per record, paid once per batch or not at all.

- The task records lose their (pilot, start) index. Nothing reads them by pilot and time: the
  pages read the rollups, and a pick-up or the review queue finds a record by pilot and source
  id, through the unique key.
- On PostgreSQL the task records' foreign key to the pilot goes: it checked the pilot once per
  record (1,000 look-ups in a 1,000-record batch, for a few dozen pilots). The ingest now locks
  its batch's pilots as the key did (FOR KEY SHARE), once per pilot (traffic.services.staged), and
  a trigger on the pilots deletes a deleted pilot's records, as the key's cascade did.
- Who used a pilot on a day (`TaskUserDay`) keeps its cascade in Django but not its key in the
  database: a batch inserts a row for nearly every user it sees, and each paid a key check at
  commit. The same batch-wide lock covers it.
"""

import django.db.models.deletion
from django.db import migrations, models

OLD_INDEX = {"postgresql": "traffic_taskrecord_pilot_started"}
DJANGO_INDEX = "traffic_tas_pilot_i_5ff9e0_idx"  # 0001's name, which other databases kept

TRIGGER = """
ALTER TABLE traffic_taskrecord DROP CONSTRAINT traffic_taskrecord_pilot_fk;
CREATE FUNCTION traffic_taskrecord_pilot_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM traffic_taskrecord WHERE pilot_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;
CREATE TRIGGER traffic_taskrecord_pilot_gone AFTER DELETE ON pilots_pilot
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT
    EXECUTE FUNCTION traffic_taskrecord_pilot_gone();
"""
KEY = """
DROP TRIGGER traffic_taskrecord_pilot_gone ON pilots_pilot;
DROP FUNCTION traffic_taskrecord_pilot_gone();
ALTER TABLE traffic_taskrecord ADD CONSTRAINT traffic_taskrecord_pilot_fk
    FOREIGN KEY (pilot_id) REFERENCES pilots_pilot (id) ON DELETE CASCADE;
"""


def _index_name(schema_editor) -> str:
    return OLD_INDEX.get(schema_editor.connection.vendor, DJANGO_INDEX)


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {_index_name(schema_editor)}")


def restore_index(apps, schema_editor):
    name = _index_name(schema_editor)
    schema_editor.execute(f"CREATE INDEX {name} ON traffic_taskrecord (pilot_id, started_at)")


def on_postgresql(sql: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("pilots", "0003_use_areas"),
        ("traffic", "0004_rollup_room"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveIndex(model_name="taskrecord", name=DJANGO_INDEX)],
            database_operations=[migrations.RunPython(drop_index, restore_index)],
        ),
        migrations.RunPython(on_postgresql(TRIGGER), on_postgresql(KEY)),
        migrations.AlterField(
            model_name="taskuserday",
            name="pilot",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="pilots.pilot",
            ),
        ),
    ]
