"""Re-encrypt every confidential value, and re-wrap every stored file's key, under the newest
key, so older keys can be retired."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from orderwatch.confidential import cipher
from orderwatch.confidential.fields import Confidential, EncryptedTextField
from orderwatch.confidential.files import stored_files_rewrap
from orderwatch.confidential.stored_files import STORED_FILES


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
            stored_files_rewrap(queryset=kind.rows(), name_field=kind.name_field)
            for kind in STORED_FILES
        )
        self.stdout.write(f"Re-wrapped {files} stored file(s) under the newest key.")
