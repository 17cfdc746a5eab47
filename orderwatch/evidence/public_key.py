"""The public page that publishes the evidence signing key, so anyone can check a bundle.

It needs no sign-in: police, the CPS and the defence must be able to fetch the key themselves,
from the service, rather than trust the copy inside a bundle.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from orderwatch.evidence import signing

PEM_FILE_NAME = "orderwatch-evidence-signing-key.pem"


@login_not_required
@require_safe
def evidence_public_key(request):
    return render(
        request,
        "evidence/public_key.html",
        {
            "public_key_pem": signing.public_key_pem().decode(),
            "fingerprint": signing.public_key_fingerprint(),
            "pem_file_name": PEM_FILE_NAME,
        },
    )


@login_not_required
@require_safe
def evidence_public_key_pem(request):
    response = HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="{PEM_FILE_NAME}"'
    return response
