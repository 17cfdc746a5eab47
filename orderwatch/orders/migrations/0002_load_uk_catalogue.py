"""Load the UK order-type catalogue (orders/catalogue/uk.json).

When the catalogue's data file changes, add a migration like this one (it updates in place by
code) or run `manage.py load_order_catalogue`.
"""

from django.db import migrations


def load(apps, schema_editor):
    from orderwatch.orders.catalogue import load_catalogue

    load_catalogue(apps.get_model("orders", "OrderType"), "uk")


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
