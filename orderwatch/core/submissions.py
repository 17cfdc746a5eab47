"""One save per create form: the form carries a one-time key, the service claims it.

The service claims the key in the same transaction as the record it makes, so the claim and
the record are saved together or not at all, even if the process dies between them. A post
whose key is already claimed saves nothing and is sent to what the first one saved.
"""

import functools
import uuid

from django import forms
from django.contrib import messages
from django.db import connection
from django.shortcuts import redirect
from django.utils import timezone

from orderwatch.core.models import Submission

SAVED_ALREADY = "This was saved already, when you first sent it. Here it is."


class SubmittedAlready(Exception):
    """The form's key was claimed by an earlier post, which saved what is at `url`."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


class OnceOnlyForm(forms.Form):
    """A form that creates something: it carries a new one-time key each time it is shown."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
    submission: uuid.UUID | None = None

    def full_clean(self) -> None:
        """Take the key out of `cleaned_data` (which views pass on to services) into
        `submission`, which the view gives the service by name."""
        super().full_clean()
        if hasattr(self, "cleaned_data"):
            self.submission = self.cleaned_data.pop("submission_key", None)


def submission_claim(*, key: uuid.UUID | None, actor, url: str) -> None:
    """Claim `key` for `actor` inside the caller's transaction; raise SubmittedAlready if an
    earlier post claimed it (waiting for that post's transaction to end, if it has not).

    One statement (`ON CONFLICT DO NOTHING`, in PostgreSQL and SQLite alike), not an insert in
    a savepoint: it runs while the case row is locked, on every save.
    """
    if key is None:
        return
    fields = {f.name: f for f in Submission._meta.get_fields() if f.concrete}
    values = [
        fields["key"].get_db_prep_value(key, connection),
        fields["user"].get_db_prep_value(actor.pk, connection),
        fields["saved_at"].get_db_prep_value(timezone.now(), connection),
        url,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Submission._meta.db_table} (key, user_id, saved_at, url) "  # noqa: S608
            "VALUES (%s, %s, %s, %s) ON CONFLICT (key) DO NOTHING RETURNING key",
            values,
        )
        claimed = cursor.fetchone() is not None
    if not claimed:
        raise SubmittedAlready(_saved_url(key, actor))


def _saved_url(key: uuid.UUID, actor) -> str:
    # Another person's key (never shown to this one): nothing to show.
    return submission_saved_url(key=key, actor=actor) or "/"


def submission_saved_url(*, key: uuid.UUID, actor) -> str | None:
    """Return where what `actor` saved with `key` is, or None if nothing was saved with it."""
    return Submission.objects.filter(key=key, user=actor).values_list("url", flat=True).first()


def once_per_submission(view):
    """Send a post whose key is claimed already to what it saved, before and after the view
    runs (two posts at once both pass the first check; the second's claim then fails)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        key = _posted_key(request)
        if key is not None:
            url = (
                Submission.objects.filter(key=key, user=request.user)
                .values_list("url", flat=True)
                .first()
            )
            if url is not None:
                return _to_saved(request, url)
        try:
            return view(request, *args, **kwargs)
        except SubmittedAlready as already:
            return _to_saved(request, already.url)

    return wrapped


def _posted_key(request) -> uuid.UUID | None:
    if request.method != "POST":
        return None
    try:
        return uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        return None


def _to_saved(request, url: str):
    messages.info(request, SAVED_ALREADY)
    return redirect(url)
