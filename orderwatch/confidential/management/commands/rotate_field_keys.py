"""Re-encrypt every confidential and sealed value, and re-wrap every stored file's key, under
the newest key, so older keys can be retired."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from orderwatch.confidential import cipher
from orderwatch.confidential.fields import EncryptedTextField, SealedTextField
from orderwatch.confidential.files import stored_files_rewrap
from orderwatch.confidential.sealing import columns_rewrite
from orderwatch.confidential.stored_files import STORED_FILES


class Command(BaseCommand):
    help = "Re-encrypt confidential fields with the first key in ORDERWATCH_FIELD_KEYS."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            names = [
                f.name
                for f in model._meta.fields
                if isinstance(f, EncryptedTextField | SealedTextField)
            ]
            if names and not model._meta.proxy:
                # The tokens are rotated as stored (raw), each table's rows locked as they are
                # read, so a value written meanwhile is never overwritten with an older one.
                with transaction.atomic():
                    total += columns_rewrite(connection, model, names, cipher.rotate, lock=True)
        self.stdout.write(f"Re-encrypted {total} record(s) under the newest key.")
        files = sum(
            stored_files_rewrap(queryset=kind.rows(), name_field=kind.name_field)
            for kind in STORED_FILES
        )
        self.stdout.write(f"Re-wrapped {files} stored file(s) under the newest key.")
