"""Service-wide pages."""

from django.shortcuts import redirect


def home(request):
    if request.user.has_perm("people.view_people"):
        return redirect("people:list")  # an agency administrator's work
    return redirect("cases:list")
