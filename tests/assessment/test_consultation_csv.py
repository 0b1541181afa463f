"""The consultation results importer: a good file, every kind of bad row named by file, row and field, nothing
written when anything is wrong, CSV injection kept as text, and a hypothesis fuzz."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.assessment import consultation_csv
from saferplan.assessment.models import Concern, ConsultationExercise
from saferplan.core.exports import csv_bytes
from saferplan.core.importing import DocumentError


@pytest.fixture
def exercise(demo):
    return ConsultationExercise.objects.create(
        partnership=demo.partnership,
        title="Public confidence survey",
        kind="survey",
        held_from=date(2015, 6, 1),
    )


GOOD = (
    b"group,kind,text,respondents\n"
    b"Our communities,Concerned about,Anti-social behaviour,120\n"
    b"YOUNG_PEOPLE,want,More things to do in the evenings,\n"
    b"public authorities,CONCERN,Alcohol-related violence,3\n"
    b",,,\n"
    b'Victims,Want to see,=HYPERLINK("http://x"),0\n'
)


def test_a_good_file_adds_every_result_in_order(exercise, users):
    added = consultation_csv.import_results("results.csv", GOOD, exercise=exercise, user=users["analyst"])
    assert [(c.group, c.kind, c.text, c.respondents) for c in added] == [
        ("communities", "concern", "Anti-social behaviour", 120),
        ("young_people", "want", "More things to do in the evenings", None),
        ("public_authorities", "concern", "Alcohol-related violence", 3),
        ("victims", "want", '=HYPERLINK("http://x")', 0),
    ]
    assert [c.order for c in added] == [1, 2, 3, 4]
    assert all(c.created_by == users["analyst"] for c in added)
    # a second file goes after the first
    again = consultation_csv.import_results(
        "more.csv", b"group,kind,text\ncommunities,concern,Speeding traffic\n", exercise=exercise, user=None
    )
    assert again[0].order == 5


def test_formula_text_is_stored_as_text_and_exported_as_text(exercise):
    consultation_csv.import_results("results.csv", GOOD, exercise=exercise, user=None)
    assert Concern.objects.get(group="victims").text == '=HYPERLINK("http://x")'
    exported = consultation_csv.results_csv(exercise).decode("utf-8-sig")
    assert "'=HYPERLINK" in exported and ",=HYPERLINK" not in exported
    # and the export reads back in
    again = ConsultationExercise.objects.create(
        partnership=exercise.partnership, title="Copy", kind="survey", held_from=date(2015, 6, 1)
    )
    consultation_csv.import_results("export.csv", exported.encode(), exercise=again, user=None)
    assert list(again.concerns.values_list("group", "kind", "text", "respondents")) == list(
        exercise.concerns.values_list("group", "kind", "text", "respondents")
    )


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"group,kind,text\nPolice,concern,x\n", ["bad.csv, row 2, group: 'Police' is not a group"]),
        (b"group,kind,text\ncommunities,worry,x\n", ["bad.csv, row 2, kind: 'worry' is not a kind"]),
        (b"group,kind,text\n,concern,x\n", ["bad.csv, row 2, group: enter the group consulted"]),
        (b"group,kind,text\ncommunities,,x\n", ["bad.csv, row 2, kind: enter the kind"]),
        (b"group,kind,text\ncommunities,concern,\n", ["bad.csv, row 2, text: enter what the group said"]),
        (
            b"group,kind,text\ncommunities,concern," + b"x" * 501 + b"\n",
            ["bad.csv, row 2, text: 501 characters; at most 500 allowed"],
        ),
        (
            b"group,kind,text,respondents\ncommunities,concern,x,-3\n",
            ["bad.csv, row 2, respondents: '-3' is not a whole number of 0 or more"],
        ),
        (
            b"group,kind,text,respondents\ncommunities,concern,x,2.5\n",
            ["bad.csv, row 2, respondents: '2.5' is not a whole number of 0 or more"],
        ),
        (
            b"group,kind,text,respondents\ncommunities,concern,x,99999999999\n",
            ["bad.csv, row 2, respondents: 99999999999 is more than 10,000,000"],
        ),
        (b"group,kind\ncommunities,concern\n", ["bad.csv, row 1, header: the column 'text' is missing"]),
        (b"group,kind,text,colour\n", ["bad.csv, row 1, column 4: unknown column 'colour'"]),
        (b"group,kind,text,text\n", ["bad.csv, row 1, header: the column 'text' appears twice"]),
        (b"group,kind,text\ncommunities,concern,x,extra\n", ["bad.csv, row 2, row: 4 values but 3 columns"]),
        (b"group,kind,text\n", ["bad.csv, file: no results found"]),
        (b"", ["bad.csv, row 1, file: the file is empty"]),
        (b"\xff\xfe", ["bad.csv, file: not UTF-8 text"]),
    ],
)
def test_each_kind_of_bad_row_is_named_and_nothing_is_written(exercise, content, expected):
    Concern.objects.create(exercise=exercise, group="communities", text="Already there")
    with pytest.raises(DocumentError) as caught:
        consultation_csv.import_results("bad.csv", content, exercise=exercise, user=None)
    report = caught.value.report().splitlines()
    assert len(report) == len(expected), report
    for line, start in zip(report, expected, strict=True):
        assert line.startswith(start), (line, start)
    assert list(exercise.concerns.values_list("text", flat=True)) == ["Already there"]


def test_every_problem_at_once_and_good_rows_are_not_written(exercise):
    content = (
        b"group,kind,text,respondents\n"
        b"communities,concern,Fine row,1\n"
        b"nobody,concern,x,\n"
        b"communities,maybe,,many\n"
    )
    with pytest.raises(DocumentError) as caught:
        consultation_csv.import_results("r.csv", content, exercise=exercise, user=None)
    fields = [(p.line, p.field) for p in caught.value.problems]
    assert fields == [(3, "group"), (4, "kind"), (4, "text"), (4, "respondents")]
    assert caught.value.summary() == "r.csv: 4 problems; nothing was changed."
    assert exercise.concerns.count() == 0


def test_the_template_imports_as_it_is(exercise):
    rows = consultation_csv.parse("consultation-results-template.csv", consultation_csv.template_csv())
    assert [(r.group, r.kind) for r in rows] == [("communities", "concern"), ("young_people", "want")]


CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
GROUPS = [v for v, _ in Concern.Group.choices] + [label for _, label in Concern.Group.choices]
KINDS = [v for v, _ in Concern.Kind.choices] + [label for _, label in Concern.Kind.choices]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=300), st.lists(st.lists(CELL, max_size=6), max_size=6)))
def test_fuzz_nothing_but_the_importers_own_error(exercise, content):
    if isinstance(content, list):
        import csv
        import io

        out = io.StringIO()
        csv.writer(out).writerows([["group", "kind", "text", "respondents"], *content])
        content = out.getvalue().encode()
    before = exercise.concerns.count()
    try:
        added = consultation_csv.import_results("fuzz.csv", content, exercise=exercise, user=None)
    except DocumentError as exc:
        assert exc.problems
        assert exercise.concerns.count() == before
    else:
        assert exercise.concerns.count() == before + len(added)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(GROUPS),
            st.sampled_from(KINDS),
            st.text(
                alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Zs")),
                min_size=1,
                max_size=80,
            ).filter(lambda t: not t.startswith("'")),  # "'=x" is read as an export's escaped "=x"
            st.one_of(st.none(), st.integers(0, 10_000_000)),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_fuzz_a_good_file_round_trips(exercise, rows):
    content = csv_bytes(
        [consultation_csv.COLUMNS, *[[g, k, t, "" if n is None else n] for g, k, t, n in rows]]
    )
    parsed = consultation_csv.parse("good.csv", content)
    assert [(r.text, r.respondents) for r in parsed] == [(t, n) for _, _, t, n in rows]
    assert [r.group for r in parsed] == [consultation_csv.GROUPS[g.casefold()] for g, _, _, _ in rows]
