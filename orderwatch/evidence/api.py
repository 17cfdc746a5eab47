"""Evidence over the API (ADR 0042): an item's details and its files, uploaded as
`multipart/form-data` and streamed to storage as the pages' uploads are (checked by content,
hashed, chained, encrypted at rest). Answers with the item's details and each file's hash;
the files themselves are read on the pages or in an evidence bundle."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from orderwatch.access.policy import access_case
from orderwatch.api.fields import LocalTime, Text
from orderwatch.api.writes import WriteApi
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.cases.api import IDEMPOTENCY_PARAMETER
from orderwatch.evidence.models import EvidenceItem
from orderwatch.evidence.selectors import evidence_item_get
from orderwatch.evidence.services import evidence_item_add

PRECISIONS = [p.value for p in Precision]


class EvidenceFileSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    content_type = Text()
    size = serializers.IntegerField()
    sha256 = Text()


class EvidenceItemSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=EvidenceItem.Kind.choices)
    happened_precision = serializers.ChoiceField(choices=PRECISIONS)
    happened_on = serializers.DateField()
    happened_at = LocalTime(allow_null=True)
    happened_until = serializers.DateField(allow_null=True)
    description = Text()
    content_sha256 = Text(help_text="The hash the evidence chain holds for the item.")
    files = EvidenceFileSerializer(many=True)


class EvidenceNewSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceItem.Kind.choices)
    happened_precision = serializers.ChoiceField(choices=PRECISIONS)
    happened_on = serializers.DateField()
    happened_at = LocalTime(required=False, allow_null=True, default=None)
    happened_until = serializers.DateField(required=False, allow_null=True, default=None)
    description = Text(max_length=10000)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=20
    )


def _item(item: EvidenceItem) -> dict:
    return {
        "id": item.pk,
        "case_id": item.case_id,
        "kind": item.kind,
        "happened_precision": item.happened_precision,
        "happened_on": item.happened_on,
        "happened_at": item.happened_at_time,
        "happened_until": item.happened_until,
        "description": item.description,
        "content_sha256": item.content_sha256,
        "files": [
            {"id": f.pk, "content_type": f.content_type, "size": f.size, "sha256": f.sha256}
            for f in item.files.all()
            if f.removed_at is None
        ],
    }


@extend_schema_view(
    post=extend_schema(
        summary="Add an evidence item, with its files",
        request={"multipart/form-data": EvidenceNewSerializer},
        responses={201: EvidenceItemSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
)
class EvidenceListApi(WriteApi):
    write_scope = "evidence:write"
    serializer_class = EvidenceItemSerializer
    request_serializer = EvidenceNewSerializer
    parser_classes = [MultiPartParser]

    def save(self, request, data, *, submission_key, expected_version, case_id) -> str:
        case = access_case(request.user, case_id)
        item = evidence_item_add(
            actor=request.user,
            case=case,
            kind=data["kind"],
            occurrence=Occurrence(
                Precision(data["happened_precision"]),
                data["happened_on"],
                data["happened_at"],
                data["happened_until"],
            ),
            description=data["description"],
            uploads=data["files"],
            submission_key=submission_key,
        )
        return item.get_absolute_url()

    def present(self, request, *, case_id, item_id):
        item = evidence_item_get(user=request.user, case_id=case_id, item_id=item_id)
        return Response(EvidenceItemSerializer(_item(item)).data)
