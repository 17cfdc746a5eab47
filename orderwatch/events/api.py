"""The event feed (ADR 0042): what happened on the cases the caller may see, in order, as ids,
kinds and times. A system keeps the last `next` it was given and asks for what came after."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from orderwatch.api.fields import Text
from orderwatch.api.pagination import MAX_PAGE_SIZE
from orderwatch.events.selectors import case_events_after
from orderwatch.events.table import CaseEvent


class EventSerializer(serializers.Serializer):
    id = Text()
    case_id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=CaseEvent.choices)
    subject_id = serializers.UUIDField(help_text="The record the event made or is about.")
    recorded_at = serializers.DateTimeField()


class EventPageSerializer(serializers.Serializer):
    events = EventSerializer(many=True)
    next = Text(help_text="Send as `after` to read what comes next.")


class FeedQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0, default=0, help_text="The `next` you were last given (0 to start)."
    )
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, default=100)


class EventFeedApi(generics.GenericAPIView):
    serializer_class = EventPageSerializer
    pagination_class = None

    @extend_schema(
        summary="What happened on your cases, after the last event you read",
        parameters=[FeedQuerySerializer],
    )
    def get(self, request):
        query = FeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        after = query.validated_data["after"]
        entries = list(
            case_events_after(
                user=request.user, after=after, limit=query.validated_data["page_size"]
            )
        )
        page = {
            "events": [
                {
                    "id": str(entry.id),
                    "case_id": entry.case_id,
                    "kind": entry.kind,
                    "subject_id": entry.subject_id,
                    "recorded_at": entry.recorded_at,
                }
                for entry in entries
            ],
            "next": str(entries[-1].id if entries else after),
        }
        return Response(self.get_serializer(page).data)
