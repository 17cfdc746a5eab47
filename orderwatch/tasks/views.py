"""Task pages. Thin: validate with a form, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from orderwatch.tasks import services


@require_POST
def task_complete(request, task_id):
    try:
        services.task_complete(actor=request.user, task_id=task_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Task marked as done.")
    return redirect("cases:list")
