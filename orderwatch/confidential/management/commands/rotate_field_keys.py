"""Re-encrypt every confidential value under the newest key, so older keys can be retired."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from orderwatch.confidential import cipher
from orderwatch.confidential.fields import Confidential, EncryptedTextField


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
