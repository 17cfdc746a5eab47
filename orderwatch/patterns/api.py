"""The pattern of a case's incidents, read-only, for integrations: the same analysis, access
policy and audit as the case page. Prompts only, and no free text from any record."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from orderwatch.cases.services import case_open
from orderwatch.patterns.selectors import case_pattern


class CountSerializer(serializers.Serializer):
    definite = serializers.IntegerField(help_text="Incidents certainly in the period.")
    possible = serializers.IntegerField(help_text="Incidents that may have been (approximate).")
    words = serializers.CharField(help_text='As a page shows it: "3", "between 2 and 4".')


class WindowSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    count = CountSerializer()


class IncidentSerializer(serializers.Serializer):
    id = serializers.CharField()
    source = serializers.ChoiceField(choices=["breach", "evidence"])
    earliest = serializers.DateTimeField()
    latest = serializers.DateTimeField()
    kinds = serializers.ListField(child=serializers.CharField())
    severity = serializers.IntegerField(allow_null=True, help_text="1 (low) to 4; null: not rated")


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    reason = serializers.CharField(help_text="A prompt to consider, never a finding.")
    incident_ids = serializers.ListField(child=serializers.CharField())
    since = serializers.DateTimeField()
    limited_by_precision = serializers.BooleanField()


class PatternSerializer(serializers.Serializer):
    windows = WindowSerializer(many=True)
    order_life = CountSerializer()
    history = serializers.ListField(
        child=serializers.CharField(), help_text="Incidents outside every order period."
    )
    flags = FlagSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())
    incidents = IncidentSerializer(many=True)


def _count(count) -> dict:
    return {"definite": count.definite, "possible": count.possible, "words": count.words()}


class CasePatternApi(generics.GenericAPIView):
    serializer_class = PatternSerializer

    @extend_schema(summary="The pattern of a case's incidents")
    def get(self, request, case_id):
        case = case_open(actor=request.user, case_id=case_id)
        pattern = case_pattern(case=case)
        analysis = pattern.analysis
        data = {
            "windows": [{"days": w.days, "count": _count(w.count)} for w in analysis.windows],
            "order_life": _count(analysis.order_life),
            "history": list(analysis.history),
            "flags": [
                {
                    "code": item.flag.code,
                    "title": item.title,
                    "reason": item.flag.reason,
                    "incident_ids": list(item.flag.incident_ids),
                    "since": item.flag.since,
                    "limited_by_precision": item.flag.limited_by_precision,
                }
                for item in pattern.flags
            ],
            "notes": list(analysis.notes),
            "incidents": [
                {
                    "id": incident.id,
                    "source": incident.source,
                    "earliest": incident.earliest,
                    "latest": incident.latest,
                    "kinds": sorted(incident.kinds),
                    "severity": incident.severity,
                }
                for incident in pattern.incidents
            ],
        }
        return Response(self.get_serializer(data).data)
