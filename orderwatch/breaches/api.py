"""Breaches over the API: the whole account (report, record, consider), approximate times, and
the police report added later, through the same services as the question pages (ADR 0042).
Witnesses' names and contact details are confidential: the API never gives them out."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from orderwatch.access.policy import access_case, access_case_for_change
from orderwatch.api.fields import LocalTime, Text
from orderwatch.api.writes import RecordResponse, WriteApi, if_match_version
from orderwatch.breaches.models import Behaviour, Breach, Known
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.selectors import breach_get
from orderwatch.breaches.services import (
    BreachAccount,
    breach_open,
    breach_police_report_update,
    breach_record,
)
from orderwatch.cases.api import IDEMPOTENCY_PARAMETER, IF_MATCH_PARAMETER


class OccurrenceSerializer(serializers.Serializer):
    precision = serializers.ChoiceField(
        choices=[p.value for p in Precision],
        help_text="exact or approximate (a date and time), date (the day only), range (between "
        "two days).",
    )
    on = serializers.DateField(help_text="The day, or the first day of a range.")
    at = LocalTime(required=False, allow_null=True, default=None)
    until = serializers.DateField(required=False, allow_null=True, default=None)


class BreachedConditionSerializer(serializers.Serializer):
    condition = serializers.UUIDField()
    how = Text(max_length=2000, help_text="How the conduct breached it.")


class BreachSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    reported_to_practitioner_at = serializers.DateTimeField()
    reported_by = Text()
    occurrence = OccurrenceSerializer()
    location = Text()
    what_happened = Text()
    behaviours = serializers.ListField(child=Text())
    severity = serializers.IntegerField()
    police_reported = serializers.BooleanField()
    police_reported_on = serializers.DateField(allow_null=True)
    police_method = Text()
    police_reference = Text()
    not_reported_reason = Text()
    respondent_supervised = Text()
    other_agencies = Text()
    others_present = Text()
    witnesses = Text(help_text="given, not_known or none: never the details.")
    actions = serializers.ListField(child=Text())
    breached = BreachedConditionSerializer(many=True)
    matches_no_condition = serializers.BooleanField()


def breach_detail(breach: Breach) -> dict:
    return {
        "id": breach.pk,
        "case_id": breach.case_id,
        "reported_to_practitioner_at": breach.reported_to_practitioner_at,
        "reported_by": breach.reported_by,
        "occurrence": {
            "precision": breach.happened_precision,
            "on": breach.happened_on,
            "at": breach.happened_at_time,
            "until": breach.happened_until,
        },
        "location": breach.location,
        "what_happened": breach.what_happened,
        "behaviours": breach.behaviours,
        "severity": breach.severity,
        "police_reported": breach.police_reported,
        "police_reported_on": breach.police_reported_on,
        "police_method": breach.police_method,
        "police_reference": breach.police_reference,
        "not_reported_reason": breach.not_reported_reason,
        "respondent_supervised": breach.respondent_supervised,
        "other_agencies": breach.other_agencies,
        "others_present": breach.others_present,
        "witnesses": breach.witnesses,
        "actions": breach.actions,
        "breached": [
            {"condition": link.condition_id, "how": link.how} for link in breach.breached.all()
        ],
        "matches_no_condition": breach.matches_no_condition,
    }


def _present(request, *, case_id, breach_id):
    breach = breach_get(user=request.user, case_id=case_id, breach_id=breach_id)
    return RecordResponse(BreachSerializer(breach_detail(breach)).data, case_id=breach.case_id)


KNOWN = Known.choices


class BreachNewSerializer(serializers.Serializer):
    """Every question of the breach pages; "not known" is an answer, never a gap."""

    reported_to_practitioner_at = serializers.DateTimeField()
    reported_by = serializers.ChoiceField(choices=Breach.ReportedBy.choices)
    reported_by_details = Text(max_length=300, required=False, allow_blank=True, default="")
    occurrence = OccurrenceSerializer()
    location = serializers.ChoiceField(choices=Breach.Location.choices)
    location_details = Text(max_length=300, required=False, allow_blank=True, default="")
    what_happened = Text(max_length=10000)
    behaviours = serializers.ListField(
        child=serializers.ChoiceField(choices=Behaviour.choices), min_length=1, max_length=20
    )
    severity = serializers.ChoiceField(choices=Breach.Severity.choices)
    police_reported = serializers.BooleanField()
    police_reported_on = serializers.DateField(required=False, allow_null=True, default=None)
    police_method = serializers.ChoiceField(
        choices=Breach.PoliceMethod.choices, required=False, allow_blank=True, default=""
    )
    police_reference = Text(max_length=100, required=False, allow_blank=True, default="")
    police_officer = Text(max_length=200, required=False, allow_blank=True, default="")
    police_officer_not_known = serializers.BooleanField(default=False)
    not_reported_reason = Text(max_length=2000, required=False, allow_blank=True, default="")
    respondent_supervised = serializers.ChoiceField(choices=KNOWN)
    probation_informed_on = serializers.DateField(required=False, allow_null=True, default=None)
    other_agencies = serializers.ChoiceField(choices=KNOWN)
    other_agencies_details = Text(max_length=2000, required=False, allow_blank=True, default="")
    others_present = serializers.ChoiceField(choices=KNOWN)
    others_present_details = Text(max_length=2000, required=False, allow_blank=True, default="")
    witnesses = serializers.ChoiceField(choices=KNOWN)
    witness_details = Text(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Kept confidential.",
    )
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=Breach.Action.choices), min_length=1, max_length=20
    )
    action_details = Text(max_length=2000, required=False, allow_blank=True, default="")
    breached = BreachedConditionSerializer(many=True, required=False, default=list)
    matches_no_condition = serializers.BooleanField(default=False)


@extend_schema_view(
    post=extend_schema(
        summary="Record a breach; what follows is as on the pages (safety review, alerts)",
        request=BreachNewSerializer,
        responses={201: BreachSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
)
class BreachListApi(WriteApi):
    write_scope = "breaches:write"
    serializer_class = BreachSerializer
    request_serializer = BreachNewSerializer

    def save(self, request, data, *, submission_key, expected_version, case_id) -> str:
        case = access_case(request.user, case_id)
        when = data.pop("occurrence")
        breached = data.pop("breached")
        account = BreachAccount(
            occurrence=Occurrence(
                precision=Precision(when["precision"]),
                on=when["on"],
                at=when["at"],
                until=when["until"],
            ),
            breached={str(link["condition"]): link["how"] for link in breached},
            **data,
        )
        breach = breach_record(
            actor=request.user, case=case, account=account, submission_key=submission_key
        )
        return breach.get_absolute_url()

    present = staticmethod(_present)


class BreachDetailApi(generics.GenericAPIView):
    serializer_class = BreachSerializer

    @extend_schema(summary="A breach (never its witnesses' details)")
    def get(self, request, case_id, breach_id):
        breach = breach_open(actor=request.user, case_id=case_id, breach_id=breach_id)
        return RecordResponse(self.get_serializer(breach_detail(breach)).data, case_id=case_id)


class PoliceReportSerializer(serializers.Serializer):
    now_reported = serializers.BooleanField(
        help_text="true: it has now been reported; false: it will not be (give the resolution)."
    )
    reported_on = serializers.DateField(required=False, allow_null=True, default=None)
    method = serializers.ChoiceField(
        choices=Breach.PoliceMethod.choices, required=False, allow_blank=True, default=""
    )
    reference = Text(max_length=100, required=False, allow_blank=True, default="")
    officer = Text(max_length=200, required=False, allow_blank=True, default="")
    officer_not_known = serializers.BooleanField(default=False)
    resolution = Text(max_length=2000, required=False, allow_blank=True, default="")


class BreachPoliceReportApi(generics.GenericAPIView):
    write_scope = "breaches:write"
    serializer_class = BreachSerializer

    @extend_schema(
        summary="Record the police report of a breach recorded as not reported (or why not)",
        request=PoliceReportSerializer,
        responses={200: BreachSerializer},
        parameters=[IF_MATCH_PARAMETER],
    )
    def put(self, request, case_id, breach_id):
        case = access_case_for_change(request.user, case_id)
        serializer = PoliceReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        breach_police_report_update(
            actor=request.user,
            case=case,
            breach_id=breach_id,
            expected_version=if_match_version(request),
            **serializer.validated_data,
        )
        return _present(request, case_id=case_id, breach_id=breach_id)
