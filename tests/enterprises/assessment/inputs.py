"""Fill and review a self-assessment in tests as the pages and the API do: the input goes
through the answers' formset (enterprises/assessment/forms.py), then the service."""

from __future__ import annotations

from django.utils.datastructures import MultiValueDict

from enterprises.assessment import services
from enterprises.assessment.forms import answer_formset_from_rows, review_formset_from_rows


def save_answers(*, actor, assessment, answers: dict, evidence=None, submit: bool = False):
    """`answers`: {answer pk: {"score": "8", "not_applicable": bool, "note": str}} as typed;
    `evidence`: {answer pk: [uploads]}."""
    evidence = evidence or {}
    rows = [{"id": pk, **values} for pk, values in answers.items()]
    rows += [{"id": pk} for pk in evidence if pk not in answers]
    files = MultiValueDict({f"evidence_{pk}": list(uploads) for pk, uploads in evidence.items()})
    formset = answer_formset_from_rows(rows, assessment.answers.all(), files)
    formset.raise_if_invalid()
    return services.save_answers(
        actor=actor,
        assessment=assessment,
        answers=formset.changes(),
        evidence=formset.evidence(),
        submit=submit,
    )


def review_assessment(*, actor, assessment, adjustments: dict, accept: bool, note: str = ""):
    """`adjustments`: {answer pk: {"score": "5", "reason": str, "clear_na": bool}} as typed."""
    rows = [{"id": pk, **values} for pk, values in adjustments.items()]
    formset = review_formset_from_rows(rows, assessment.answers.all())
    formset.raise_if_invalid()
    return services.review_assessment(
        actor=actor,
        assessment=assessment,
        adjustments=formset.adjustments(),
        accept=accept,
        note=note,
    )
