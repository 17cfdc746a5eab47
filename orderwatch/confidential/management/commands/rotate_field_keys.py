"""Re-encrypt every confidential value, and re-wrap every stored file's key, under the newest
key, so older keys can be retired."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from orderwatch.confidential import cipher
from orderwatch.confidential.fields import Confidential, EncryptedTextField
from orderwatch.confidential.files import stored_files_rewrap

# Every record that names an encrypted stored file: (model, field with the storage name, which
# rows still have their bytes).
STORED_FILES = [
    ("orders.OrderCopy", "file_name", {}),
    ("evidence.EvidenceFile", "stored_name", {"removed_at__isnull": True}),
    ("exports.Export", "file_name", {"status": "ready"}),
]


class Command(BaseCommand):
    help = "Re-encrypt confidential fields with the first key in ORDERWATCH_FIELD_KEYS."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            names = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
            if not names:
                continue
            with transaction.atomic():
                rows = model._base_manager.select_for_update().values_list("pk", *names)
                for pk, *tokens in rows.iterator():
                    rotated = {
                        name: Confidential(cipher.rotate(value.token))
                        for name, value in zip(names, tokens, strict=True)
                        if value
                    }
                    if rotated:
                        model._base_manager.filter(pk=pk).update(**rotated)
                        total += 1
        self.stdout.write(f"Re-encrypted {total} record(s) under the newest key.")
        files = sum(
            stored_files_rewrap(
                queryset=apps.get_model(model)._base_manager.filter(**rows), name_field=field
            )
            for model, field, rows in STORED_FILES
        )
        self.stdout.write(f"Re-wrapped {files} stored file(s) under the newest key.")
