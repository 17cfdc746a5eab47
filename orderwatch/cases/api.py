"""Read-only API for cases; the same access policy and audit as the pages."""

from rest_framework import generics, serializers
from rest_framework.response import Response

from orderwatch.cases import selectors
from orderwatch.cases.models import Case, CasePerson, CaseTeamMembership
from orderwatch.cases.services import case_open


class CasePersonSerializer(serializers.ModelSerializer):
    # Sealed at rest (stored as text); given out as the date and list they are.
    date_of_birth = serializers.DateField(allow_null=True)
    aliases = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = CasePerson
        fields = ["id", "role", "given_name", "family_name", "date_of_birth", "aliases"]


class CaseTeamMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name")
    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = CaseTeamMembership
        fields = ["id", "name", "agency", "capacity", "is_lead"]


class CaseSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "reference", "created_at", "status", "closed_at"]


class CaseDetailSerializer(serializers.ModelSerializer):
    """A case without its protected address: that is only ever revealed on a page, with a reason."""

    people = CasePersonSerializer(many=True)
    team = CaseTeamMemberSerializer(many=True)
    has_protected_address = serializers.BooleanField()

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "created_at",
            "status",
            "closed_at",
            "has_protected_address",
            "people",
            "team",
        ]


class CaseListApi(generics.ListAPIView):
    serializer_class = CaseSummarySerializer

    def get_queryset(self):
        return selectors.case_list(user=self.request.user)


class CaseDetailApi(generics.GenericAPIView):
    serializer_class = CaseDetailSerializer

    def get(self, request, case_id):
        case = case_open(actor=request.user, case_id=case_id)
        data = {
            "id": case.pk,
            "reference": case.reference,
            "created_at": case.created_at,
            "status": case.status,
            "closed_at": case.closed_at,
            "has_protected_address": bool(case.protected_address),
            "people": selectors.case_people(case=case),
            "team": selectors.case_team(case=case),
        }
        return Response(self.get_serializer(data).data)
