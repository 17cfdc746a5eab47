"""Orders over the API: record one, add its conditions, and record its variation, extension or
discharge, through the same services as the pages (ADR 0042). A place a condition names is
confidential, like the address: the API says only that there is one."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from orderwatch.access.policy import access_case
from orderwatch.api.fields import Text
from orderwatch.api.writes import RecordResponse, WriteApi
from orderwatch.cases.api import IDEMPOTENCY_PARAMETER, IF_MATCH_PARAMETER
from orderwatch.orders import selectors
from orderwatch.orders.models import Condition, Order, OrderChange, OrderType
from orderwatch.orders.services import (
    condition_add,
    order_change_record,
    order_create,
    order_open,
)


class ConditionSerializer(serializers.ModelSerializer):
    names_a_place = serializers.SerializerMethodField()

    class Meta:
        model = Condition
        fields = ["id", "kind", "wording", "protects", "exceptions", "ended_on", "names_a_place"]

    def get_names_a_place(self, condition) -> bool:
        return bool(condition.place)


class OrderChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderChange
        fields = ["id", "kind", "made_on", "new_ends_on", "until_further_order"]


class OrderSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    case_id = serializers.UUIDField()
    order_type = Text(help_text="The catalogue's code for the type of order.")
    status = Text(help_text="in_force, not_yet_in_force, expired, discharged…")
    made_on = serializers.DateField()
    served_on = serializers.DateField(allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True, help_text="After any extension.")
    until_further_order = serializers.BooleanField()
    court = Text()
    court_reference = Text()
    respondent = serializers.UUIDField(allow_null=True)
    protected_people = serializers.ListField(child=serializers.UUIDField())
    conditions = ConditionSerializer(many=True)
    changes = OrderChangeSerializer(many=True)


def order_detail(order: Order) -> dict:
    state = selectors.order_state(order)
    return {
        "id": order.pk,
        "case_id": order.case_id,
        "order_type": order.order_type.code,
        "status": state.status,
        "made_on": order.made_on,
        "served_on": order.served_on,
        "starts_on": order.starts_on,
        "ends_on": state.ends_on,
        "until_further_order": state.until_further_order,
        "court": order.court,
        "court_reference": order.court_reference,
        "respondent": order.respondent_id,
        "protected_people": sorted(person.pk for person in order.protected_people.all()),
        "conditions": order.conditions.all(),
        "changes": order.changes.all(),
    }


def _present(request, *, case_id, order_id):
    order = selectors.order_get(user=request.user, case_id=case_id, order_id=order_id)
    return RecordResponse(OrderSerializer(order_detail(order)).data, case_id=order.case_id)


class OrderNewSerializer(serializers.Serializer):
    order_type = serializers.SlugRelatedField(slug_field="code", queryset=OrderType.objects.all())
    made_on = serializers.DateField()
    served_on = serializers.DateField(required=False, allow_null=True, default=None)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    until_further_order = serializers.BooleanField(default=False)
    court = Text(max_length=200, required=False, allow_blank=True, default="")
    court_reference = Text(max_length=100, required=False, allow_blank=True, default="")
    respondent = serializers.UUIDField(required=False, allow_null=True, default=None)
    protected_people = serializers.ListField(child=serializers.UUIDField(), max_length=50)


@extend_schema_view(
    post=extend_schema(
        summary="Record an order on a case (its conditions are added next)",
        request=OrderNewSerializer,
        responses={201: OrderSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
)
class OrderListApi(WriteApi):
    write_scope = "orders:write"
    serializer_class = OrderSerializer
    request_serializer = OrderNewSerializer

    def save(self, request, data, *, submission_key, expected_version, case_id) -> str:
        case = access_case(request.user, case_id)
        people = {person.pk: person for person in case.people.all()}
        respondent = data.pop("respondent")
        protected = data.pop("protected_people")
        if (respondent and respondent not in people) or any(p not in people for p in protected):
            raise ValidationError({"protected_people": ["Name people on this case."]})
        order = order_create(
            actor=request.user,
            case=case,
            respondent=people.get(respondent),
            protected_people=[people[p] for p in protected],
            submission_key=submission_key,
            **data,
        )
        return order.get_absolute_url()

    present = staticmethod(_present)


class OrderDetailApi(generics.GenericAPIView):
    serializer_class = OrderSerializer

    @extend_schema(summary="An order, its conditions and its changes")
    def get(self, request, case_id, order_id):
        order = order_open(actor=request.user, case_id=case_id, order_id=order_id)
        return RecordResponse(self.get_serializer(order_detail(order)).data, case_id=case_id)


class ConditionNewSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Condition.Kind.choices)
    wording = Text(max_length=5000, help_text="The words of the order.")
    protects = Text(max_length=300, required=False, allow_blank=True, default="")
    place = Text(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Kept confidential; never given out.",
    )
    exceptions = Text(max_length=2000, required=False, allow_blank=True, default="")


@extend_schema_view(
    post=extend_schema(
        summary="Add a condition in the order's own words; answers with the order",
        request=ConditionNewSerializer,
        responses={201: OrderSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
)
class ConditionListApi(WriteApi):
    write_scope = "orders:write"
    serializer_class = OrderSerializer
    request_serializer = ConditionNewSerializer

    def save(self, request, data, *, submission_key, expected_version, case_id, order_id) -> str:
        order = selectors.order_get(user=request.user, case_id=case_id, order_id=order_id)
        condition_add(actor=request.user, order=order, submission_key=submission_key, **data)
        return order.get_absolute_url()

    present = staticmethod(_present)


class OrderChangeNewSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OrderChange.Kind.choices)
    made_on = serializers.DateField()
    what_changed = Text(max_length=5000)
    new_ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    until_further_order = serializers.BooleanField(default=False)


@extend_schema_view(
    post=extend_schema(
        summary="Record that the court varied, extended or discharged the order",
        request=OrderChangeNewSerializer,
        responses={201: OrderSerializer},
        parameters=[IDEMPOTENCY_PARAMETER, IF_MATCH_PARAMETER],
    )
)
class OrderChangeListApi(WriteApi):
    write_scope = "orders:write"
    serializer_class = OrderSerializer
    request_serializer = OrderChangeNewSerializer

    def save(self, request, data, *, submission_key, expected_version, case_id, order_id) -> str:
        order = selectors.order_get(user=request.user, case_id=case_id, order_id=order_id)
        order_change_record(
            actor=request.user,
            order=order,
            submission_key=submission_key,
            expected_version=expected_version,
            **data,
        )
        return order.get_absolute_url()

    present = staticmethod(_present)
