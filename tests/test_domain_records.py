"""domain/resources, domain/feedback, domain/agenda and domain/corrections against plain
objects and a fixed day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mentorkit.domain import agenda, feedback, resources
from mentorkit.domain.corrections import Corrections
from mentorkit.errors import UsageProblem
from tests.conftest import DAY, seeded


def test_a_resource_is_shared_then_worked_through_in_its_own_verb(m):
    podcast, sentence = resources.add_resource(
        m, "Trial lawyers on cross", kind="podcast", url="https://example.com/ep1", goal=None,
        note=None, by="mentor", today=DAY, rng=seeded(),
    )  # fmt: skip
    assert podcast.shared == DAY and podcast.status == "shared"
    assert sentence == f'mentor shared podcast {podcast.id} "Trial lawyers on cross"'
    assert resources.still_to_do("podcast") == "to listen to"
    _, done = resources.complete_resource(m, podcast.id, note=None, when=DAY, by="mentee")
    assert podcast.status == "done" and "listened to podcast" in done
    assert resources.select_resources(m, kind=None, goal=None, status="shared") == []


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://exa mple.com", "example"])
def test_a_resource_address_must_be_a_web_mail_or_file_address(m, url):
    with pytest.raises(UsageProblem):
        resources.add_resource(m, "x", kind="article", url=url, goal=None, note=None,
                               by="mentor", today=DAY)  # fmt: skip
    assert m.resources == []


def test_feedback_goes_to_the_other_person_and_only_its_giver_retracts_it(m):
    given, _ = feedback.give_feedback(m, "Clear memo", by="mentor", to=None, kind="recognition",
                                      today=DAY, rng=seeded())  # fmt: skip
    assert (given.from_, given.to, given.kind) == ("mentor", "mentee", "recognition")
    with pytest.raises(UsageProblem):
        feedback.give_feedback(m, "x", by="mentor", to="mentor", kind="feedback", today=DAY)
    with pytest.raises(UsageProblem):
        feedback.give_feedback(m, "x", by="mentor", to=None, kind="praise", today=DAY)
    with pytest.raises(UsageProblem):
        feedback.retract_feedback(m, given.id, reason="not mine", by="mentee")
    feedback.retract_feedback(m, given.id, reason="sent twice", by="mentor")
    assert m.feedback == []


def test_feedback_flowing_one_way_for_four_weeks_is_nudged(m):
    for weeks in range(5):
        feedback.give_feedback(m, "Good", by="mentor", to=None, kind="feedback",
                               today=DAY - timedelta(weeks=weeks))  # fmt: skip
    nudges = feedback.feedback_nudges(m, DAY)
    assert any("only from the mentor to the mentee" in n for n in nudges)


def test_a_talking_point_is_added_then_closed_once(m):
    point, sentence = agenda.add_point(m, "Settlement ranges", by="mentee", today=DAY,
                                       rng=seeded())  # fmt: skip
    assert sentence == f'mentee added talking point {point.id} "Settlement ranges"'
    assert agenda.open_points(m) == [point]
    agenda.close_point(m, point.id, today=date(2026, 12, 1), by="mentor")
    assert agenda.open_points(m) == [] and point.closed == date(2026, 12, 1)
    with pytest.raises(UsageProblem, match="already closed"):
        agenda.close_point(m, point.id, today=DAY, by="mentor")


def test_a_correction_names_each_field_from_what_to_what_and_why(m):
    point, _ = agenda.add_point(m, "Settlement", by="mentee", today=DAY, rng=seeded())
    fix = Corrections(point)
    fix.set("text", "Settlement ranges")
    fix.set("added", DAY, quote=False)  # unchanged: not mentioned
    assert point.text == "Settlement ranges"
    assert fix.sentence("mentee", "talking point", point.text, "typo", options="--text") == (
        f'mentee corrected talking point {point.id} "Settlement ranges": '
        '"Settlement" → "Settlement ranges" (because: typo)'
    ).replace(': "Settlement" →', ': text "Settlement" →')
    with pytest.raises(UsageProblem, match="nothing to change"):
        Corrections(point).sentence(None, "talking point", "x", None, options="--text")
