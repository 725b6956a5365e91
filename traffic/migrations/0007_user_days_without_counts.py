"""A user's day says the employee used the pilot that day, not how often: nothing read the count,
and keeping it wrote the row again for every batch the employee appeared in (now a batch only
adds the days not there yet). Backwards the count comes back as 0."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("traffic", "0006_keyed_by_what_makes_them_once")]

    operations = [migrations.RemoveField(model_name="taskuserday", name="tasks")]
