"""The hazards to-do card on the home pages (hazards/cards.py): what each role sees on it,
decided by the rules in hazards/permissions.py, not by role names in the template."""

from __future__ import annotations

import pytest

from hazards.cards import todo

ASSIGNERS_ONLY = ("已认定待交办", "待审批的延期申请")


@pytest.mark.parametrize(
    ("persona", "own_enterprise", "assigns"),
    [
        ("county_officer", False, True),
        ("leader", False, False),
        ("town_official", False, False),
        ("department_official", False, False),
        ("enterprise_manager", True, False),
    ],
)
def test_each_role_sees_its_own_lines_of_the_todo_card(
    persona, own_enterprise, assigns, request, client_for, county
):
    user = request.getfixturevalue(persona)
    card = todo(user)
    assert (card["own_enterprise"], card["assigns"]) == (own_enterprise, assigns)
    assert ("extensions" in card["figures"]) == assigns
    html = client_for(user).get("/").content.decode()
    assert ("待整改和整改中的隐患" in html) == own_enterprise
    # each figure is a link to the list it counts (the label and figure inside the link)
    assert ('?status=submitted" data-figure=' in html) == (not own_enterprise)
    for line in ASSIGNERS_ONLY:
        assert (line in html) == assigns, line
    # the 拟约谈 list is for whoever sees the whole county (county office and leaders)
    assert ("拟约谈名单" in html) == user.sees_whole_county
