"""Who needs to know, over the API (ADR 0042): the parties of a case with their state, and a
share recorded through the same service as the pages. Parties' contact details are never given
out here (they are revealed one at a time on the page, audited), and a system cannot include
the protected address in a share."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from orderwatch.access.policy import access_case
from orderwatch.api.fields import Text
from orderwatch.api.writes import WriteApi
from orderwatch.cases.api import IDEMPOTENCY_PARAMETER
from orderwatch.sharing.models import Party, Share
from orderwatch.sharing.selectors import case_sharing
from orderwatch.sharing.services import share_record, sharing_list_open


class PartySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Party.Kind.choices)
    name = Text()
    role = Text()
    organisation = Text()
    state = serializers.ChoiceField(
        choices=["informed", "not_yet_informed", "needs_updating"],
        help_text="Whether they know what they need to, since the latest event.",
    )
    last_shared_on = serializers.DateField(allow_null=True)


class PartyListSerializer(serializers.Serializer):
    parties = PartySerializer(many=True)


def _parties(case) -> dict:
    return {
        "parties": [
            {
                "id": item.party.pk,
                "kind": item.party.kind,
                "name": item.party.display_name,
                "role": item.party.role,
                "organisation": item.party.display_organisation,
                "state": item.state.value,
                "last_shared_on": item.last_shared_on,
            }
            for item in case_sharing(case=case).parties
        ]
    }


class ShareNewSerializer(serializers.Serializer):
    party = serializers.UUIDField(help_text="One of the case's parties (see the list).")
    what = serializers.ListField(
        child=serializers.ChoiceField(choices=Share.What.choices), min_length=1, max_length=4
    )
    shared_on = serializers.DateField()
    how = serializers.ChoiceField(choices=Share.How.choices)
    how_details = Text(max_length=200, required=False, allow_blank=True, default="")
    purpose = Text(max_length=200, help_text="Why they needed it, in a few words.")
    lawful_basis = serializers.ChoiceField(choices=Share.LawfulBasis.choices)
    lawful_basis_details = Text(max_length=500, required=False, allow_blank=True, default="")
    told_what_to_do_on_breach = serializers.BooleanField(
        allow_null=True, help_text="Were they told what to do if the order is breached?"
    )


@extend_schema_view(
    get=extend_schema(summary="Who needs to know on a case, and whether they do"),
    post=extend_schema(
        summary="Record that information was shared with one of the case's parties",
        request=ShareNewSerializer,
        responses={201: PartyListSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
)
class ShareListApi(WriteApi):
    write_scope = "sharing:write"
    serializer_class = PartyListSerializer
    request_serializer = ShareNewSerializer

    def get(self, request, case_id):
        case = sharing_list_open(actor=request.user, case_id=case_id)
        return Response(self.get_serializer(_parties(case)).data)

    def save(self, request, data, *, submission_key, expected_version, case_id) -> str:
        case = access_case(request.user, case_id)
        share_record(
            actor=request.user,
            case=case,
            party_id=data.pop("party"),
            submission_key=submission_key,
            **data,
        )
        return reverse("sharing:list", kwargs={"case_id": case.pk})

    def present(self, request, *, case_id):
        case = access_case(request.user, case_id)
        return Response(PartyListSerializer(_parties(case)).data)
