"""Restrictions at a glance. No database."""

from orderwatch.orders.restrictions import NO, NOT_STATED, YES, restrictions_at_a_glance


def answers(conditions, *, copy_verified):
    return {
        r.kind: r.answer for r in restrictions_at_a_glance(conditions, copy_verified=copy_verified)
    }


def test_a_recorded_condition_is_a_yes_with_its_wording():
    result = restrictions_at_a_glance(
        [("no_indirect_contact", "Must not contact her by any means")], copy_verified=False
    )
    indirect = next(r for r in result if r.kind == "no_indirect_contact")
    assert (indirect.answer, indirect.wordings) == (YES, ("Must not contact her by any means",))


def test_without_a_checked_copy_anything_not_recorded_is_not_stated():
    result = answers([("no_direct_contact", "x")], copy_verified=False)
    assert result == {
        "no_direct_contact": YES,
        "no_indirect_contact": NOT_STATED,
        "no_third_party_contact": NOT_STATED,
        "exclusion": NOT_STATED,
    }


def test_with_a_checked_copy_anything_not_recorded_is_a_no():
    result = answers([("exclusion", "Not within 100 metres of the address")], copy_verified=True)
    assert result["exclusion"] == YES
    assert result["no_third_party_contact"] == NO


def test_other_kinds_do_not_change_the_four_questions():
    assert set(answers([("no_violence", "x")], copy_verified=False).values()) == {NOT_STATED}


def test_occupation_terms_answer_the_kept_away_question():
    result = answers([("occupation", "Must leave and not return to the home")], copy_verified=True)
    assert result["exclusion"] == YES
