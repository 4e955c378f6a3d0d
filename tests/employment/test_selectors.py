"""Reads that other pages and reports build on: many people ranked at once, the same as one
by one, with a number of queries that does not grow with the people."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from employment import selectors
from employment.models import JobProfile


def _summary(ranking):
    return ([(a.opening.key, a.score) for a in ranking.matches],
            [a.opening.key for a in ranking.excluded])


def test_ranking_many_people_at_once_matches_ranking_them_one_by_one(emp):
    emp.job(title="本镇", skills=[emp.driving])
    emp.job(title="柳河", district=emp.town, shift="night")
    emp.job(title="外县", district=emp.away)
    emp.job(title="金融", industry=emp.finance)
    emp.training(skills=[emp.warehouse])
    people = [emp.world.supervisee, emp.world.other_supervisee, emp.world.juvenile]
    emp.ban(emp.world.other_supervisee, emp.finance)
    emp.travel(emp.world.supervisee, emp.away)
    emp.world.supervisee.skills.set([emp.driving])
    JobProfile.objects.create(supervisee=emp.world.other_supervisee, reporting_weekday=2,
                              reporting_period="morning", preferred_shifts=["night"])
    together = selectors.rankings_for(people)
    for person in people:
        assert _summary(together[person.pk])[0] == _summary(selectors.ranking_for(person))[0]
    titles = {a.opening.title for a in together[emp.world.supervisee.pk].matches}
    assert "外县" in titles  # the travel approval covers it


def test_ranking_many_people_runs_the_same_queries_for_few_and_many(emp):
    emp.job(skills=[emp.driving])
    few = [emp.person() for _ in range(2)]
    many = few + [emp.person() for _ in range(8)]
    for person in many[::2]:
        emp.ban(person, emp.finance)
        JobProfile.objects.create(supervisee=person, preferred_shifts=["day"])
    with CaptureQueriesContext(connection) as small:
        selectors.rankings_for(few)
    with CaptureQueriesContext(connection) as large:
        result = selectors.rankings_for(many)
    assert len(small) == len(large)
    assert len(result) == 10 and all(r.matches for r in result.values())
