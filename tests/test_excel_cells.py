from safetyportal.core.excel import safe_cell, safe_row


def test_text_that_would_start_a_formula_is_neutralised():
    for value in ('=HYPERLINK("http://x","点我")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(value) == "'" + value


def test_other_values_are_left_alone():
    assert safe_row(["配电箱未接地", 120, None, "A=B", ""]) == [
        "配电箱未接地",
        120,
        None,
        "A=B",
        "",
    ]
