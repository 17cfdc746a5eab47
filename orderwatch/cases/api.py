"""Cases over the API: the same access policy, services and audit as the pages (ADR 0040, 0042).

The protected address is never given out here: that is only ever revealed on a page, with a
reason and a fresh second-factor code.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from orderwatch.access.policy import access_case
from orderwatch.accounts.models import User
from orderwatch.api.fields import Email, Text
from orderwatch.api.idempotency import HEADER as IDEMPOTENCY_KEY
from orderwatch.api.writes import RecordResponse, WriteApi
from orderwatch.cases import selectors
from orderwatch.cases.models import Case, CasePerson, CaseTeamMembership
from orderwatch.cases.services import case_create, case_open, case_person_add

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_KEY,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="A new value (a UUID) per request; send it again only to retry that request.",
)
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag last read for the case: the write is refused (412) if it changed.",
)


class CasePersonSerializer(serializers.ModelSerializer):
    # Sealed at rest (stored as text); given out as the date and list they are.
    date_of_birth = serializers.DateField(allow_null=True)
    aliases = serializers.ListField(child=Text())

    class Meta:
        model = CasePerson
        fields = ["id", "role", "given_name", "family_name", "date_of_birth", "aliases"]


class CaseTeamMemberSerializer(serializers.ModelSerializer):
    name = Text(source="user.display_name")
    agency = Text(source="agency.name")

    class Meta:
        model = CaseTeamMembership
        fields = ["id", "name", "agency", "capacity", "is_lead"]


class CaseSummarySerializer(serializers.ModelSerializer):
    updated_at = serializers.DateTimeField(
        source="modified_at", help_text="When anything on the case last changed."
    )

    class Meta:
        model = Case
        fields = ["id", "reference", "created_at", "updated_at", "status", "closed_at"]


class CaseDetailSerializer(serializers.Serializer):
    """A case without its protected address (see the module's note)."""

    id = serializers.UUIDField()
    reference = Text()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=Case.Status.choices)
    closed_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField(help_text="The case's version: its ETag.")
    has_protected_address = serializers.BooleanField()
    people = CasePersonSerializer(many=True)
    team = CaseTeamMemberSerializer(many=True)


def case_detail(case: Case) -> dict:
    return {
        "id": case.pk,
        "reference": case.reference,
        "created_at": case.created_at,
        "updated_at": case.modified_at,
        "status": case.status,
        "closed_at": case.closed_at,
        "version": case.version,
        "has_protected_address": bool(case.protected_address),
        "people": selectors.case_people(case=case),
        "team": selectors.case_team(case=case).select_related("user", "agency"),
    }


class PersonNewSerializer(serializers.Serializer):
    given_name = Text(max_length=100)
    family_name = Text(max_length=100, required=False, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)


class CaseNewSerializer(serializers.Serializer):
    victim_survivor = PersonNewSerializer()
    lead_email = Email(
        help_text="The practitioner or team manager of your agency who will lead the case."
    )
    lead_capacity = Text(max_length=100, help_text='Such as "Allocated IDVA".')


class CaseListQuerySerializer(serializers.Serializer):
    updated_since = serializers.DateTimeField(
        required=False, help_text="Only cases where anything changed at or after this time."
    )


@extend_schema_view(
    get=extend_schema(
        summary="The cases you (or your agency's system) may see",
        parameters=[CaseListQuerySerializer],
    ),
    post=extend_schema(
        summary="Open a case around a victim-survivor",
        request=CaseNewSerializer,
        responses={201: CaseDetailSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
)
class CaseListApi(WriteApi, generics.ListAPIView):
    write_scope = "cases:write"
    serializer_class = CaseSummarySerializer
    request_serializer = CaseNewSerializer

    def get_queryset(self):
        return selectors.case_list_changed(
            user=self.request.user, updated_since=self._updated_since()
        )

    def _updated_since(self):
        if self.request.query_params.get("updated_since") == "":
            raise ValidationError({"updated_since": ["Give a date and time (ISO 8601)."]})
        query = CaseListQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data.get("updated_since")

    def save(self, request, data, *, submission_key, expected_version) -> str:
        lead = User.objects.filter(
            email=data["lead_email"].lower(), agency_id=request.user.agency_id
        ).first()
        if lead is None:
            raise ValidationError({"lead_email": ["No one with that email works in your agency."]})
        victim = data["victim_survivor"]
        case = case_create(
            actor=request.user,
            victim_given_name=victim["given_name"],
            victim_family_name=victim["family_name"],
            victim_date_of_birth=victim["date_of_birth"],
            lead=lead,
            lead_capacity=data["lead_capacity"],
            submission_key=submission_key,
        )
        return case.get_absolute_url()

    def present(self, request, *, case_id):
        case = access_case(request.user, case_id)
        return RecordResponse(CaseDetailSerializer(case_detail(case)).data, case_id=case.pk)


class CaseDetailApi(generics.GenericAPIView):
    serializer_class = CaseDetailSerializer

    @extend_schema(summary="A case, its people and its team")
    def get(self, request, case_id):
        case = case_open(actor=request.user, case_id=case_id)
        return RecordResponse(self.get_serializer(case_detail(case)).data, case_id=case.pk)


class CasePersonNewSerializer(PersonNewSerializer):
    role = serializers.ChoiceField(
        choices=[c for c in CasePerson.Role.choices if c[0] != CasePerson.Role.VICTIM_SURVIVOR]
    )
    aliases = serializers.ListField(
        child=Text(max_length=100), required=False, default=list, max_length=20
    )


@extend_schema_view(
    post=extend_schema(
        summary="Add a respondent, child or household member; answers with the case",
        request=CasePersonNewSerializer,
        responses={201: CaseDetailSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
)
class CasePersonListApi(WriteApi):
    write_scope = "cases:write"
    serializer_class = CaseDetailSerializer
    request_serializer = CasePersonNewSerializer

    def save(self, request, data, *, submission_key, expected_version, case_id) -> str:
        case = access_case(request.user, case_id)
        case_person_add(actor=request.user, case=case, submission_key=submission_key, **data)
        return case.get_absolute_url()

    present = CaseListApi.present
