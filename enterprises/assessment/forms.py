"""The self-assessment's input: one form per answer, in a formset, for the enterprise
(score, not applicable, note, evidence) and for the reviewer (adjusted score, reason,
overruling "not applicable"). The pages and the API validate through these; the services
receive cleaned values.

Each answer's fields are named after the answer (`score_<pk>`, `na_<pk>`, `note_<pk>`,
`evidence_<pk>`; `reviewed_<pk>`, `reason_<pk>`, `clear_na_<pk>`), so a form posted for one
answer can never be applied to another, and the number of forms is the number of answers
(no management form to tamper with).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import ManagementForm
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from safetyportal.core.uploads import EVIDENCE, check_upload


def clean_score(raw, *, points: int, code: str) -> Decimal | None:
    """A score between 0 and the item's points, in steps of 0.5; blank is None."""
    if raw is None or str(raw).strip() == "":
        return None
    try:
        score = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError(
            _("第%(code)s项的得分“%(raw)s”不是数字，请填写0到%(points)s之间的分数。")
            % {"code": code, "raw": raw, "points": points}
        ) from None
    if not score.is_finite() or score < 0 or score > points:
        raise ValidationError(
            _("第%(code)s项的得分应在0到%(points)s分之间，当前为%(raw)s。")
            % {"code": code, "points": points, "raw": raw}
        )
    if (score * 2) % 1:
        raise ValidationError(_("第%(code)s项的得分请以0.5分为单位。") % {"code": code})
    return score


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class _PerAnswerForm(forms.Form):
    """A form bound to one answer; its fields are named `<name>_<answer pk>`."""

    NAMES: dict[str, str] = {}

    def __init__(self, *args, answer, **kwargs):
        self.answer = answer
        super().__init__(*args, **kwargs)

    def add_prefix(self, field_name: str) -> str:
        return f"{self.NAMES.get(field_name, field_name)}_{self.answer.pk}"

    def _score(self, name: str):
        return clean_score(
            self.cleaned_data.get(name), points=self.answer.points, code=self.answer.code
        )


class AnswerForm(_PerAnswerForm):
    """One item as the enterprise fills it."""

    NAMES = {"not_applicable": "na"}

    score = forms.CharField(required=False)
    not_applicable = forms.BooleanField(required=False)
    note = forms.CharField(required=False, strip=True, widget=forms.Textarea)
    evidence = MultipleFileField(required=False)

    def clean_score(self):
        return self._score("score")

    def clean_evidence(self):
        uploads = self.cleaned_data.get("evidence") or []
        errors, kept = [], []
        for upload in uploads:
            try:
                kept.append(check_upload(upload, allowed=EVIDENCE).file)
            except ValidationError as error:
                errors.extend(
                    _("第%(code)s项：%(message)s") % {"code": self.answer.code, "message": m}
                    for m in error.messages
                )
        if errors:
            raise ValidationError(errors)
        return kept


class ReviewAnswerForm(_PerAnswerForm):
    """One item as the reviewer adjusts it: a blank score keeps the enterprise's own; a
    changed score, or overruling "not applicable", needs a reason."""

    NAMES = {"score": "reviewed"}

    score = forms.CharField(required=False)
    reason = forms.CharField(required=False, strip=True)
    clear_na = forms.BooleanField(required=False)

    def clean_score(self):
        return self._score("score")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        score, reason = cleaned.get("score"), cleaned.get("reason", "")
        code = self.answer.code
        if cleaned.get("clear_na") and self.answer.not_applicable:
            if not reason:
                raise ValidationError(_("第%(code)s项取消“不适用”，请填写理由。") % {"code": code})
        elif score is not None and score != self.answer.score and not reason:
            raise ValidationError(_("第%(code)s项调整了得分，请填写调整理由。") % {"code": code})
        return cleaned


class BaseAnswerFormSet(forms.BaseFormSet):
    """One form per answer of `answers`, in their order."""

    def __init__(self, data=None, files=None, *, answers, initial=None, **kwargs):
        self.answers = list(answers)
        super().__init__(data, files, initial=initial, **kwargs)

    def total_form_count(self) -> int:
        return len(self.answers)

    def initial_form_count(self) -> int:
        return len(self.answers)

    def get_form_kwargs(self, index):
        return {"answer": self.answers[index]}

    @cached_property
    def management_form(self):
        count = str(len(self.answers))
        form = ManagementForm(
            {f"{self.prefix}-TOTAL_FORMS": count, f"{self.prefix}-INITIAL_FORMS": count},
            auto_id=self.auto_id,
            prefix=self.prefix,
        )
        form.full_clean()
        return form

    def messages(self) -> list[str]:
        """Every error, each naming its item, in the items' order."""
        result = [m for error in self.non_form_errors().as_data() for m in error.messages]
        for form in self.forms:
            for errors in form.errors.as_data().values():
                result.extend(m for error in errors for m in error.messages)
        return result

    def raise_if_invalid(self) -> None:
        if not self.is_valid():
            raise ValidationError(self.messages())


class AnswerFormSet(
    forms.formset_factory(AnswerForm, formset=BaseAnswerFormSet, extra=0)  # type: ignore[misc]
):
    def changes(self) -> dict[int, dict]:
        """{answer pk: {"score", "not_applicable", "note"}} of a valid formset."""
        return {
            form.answer.pk: {k: form.cleaned_data[k] for k in ("score", "not_applicable", "note")}
            for form in self.forms
        }

    def evidence(self) -> dict[int, list]:
        return {form.answer.pk: form.cleaned_data["evidence"] for form in self.forms}


class ReviewFormSet(
    forms.formset_factory(ReviewAnswerForm, formset=BaseAnswerFormSet, extra=0)  # type: ignore[misc]
):
    def adjustments(self) -> dict[int, dict]:
        """{answer pk: {"score", "reason", "clear_na"}} of a valid formset."""
        return {
            form.answer.pk: {k: form.cleaned_data[k] for k in ("score", "reason", "clear_na")}
            for form in self.forms
        }


def _api_data(rows, answers, *, names: dict[str, str], current) -> dict:
    """Form data for the answers named in `rows` (the API's list of {"id", ...}); a key a
    row leaves out keeps the answer's current value (`current(answer, key)`)."""
    by_id = {a.pk: a for a in answers}
    data = {}
    for row in rows:
        answer = by_id.get(row.get("id"))
        if answer is None:
            continue  # not an item of this assessment: ignored, as on the page
        for key, name in names.items():
            value = row[key] if key in row else current(answer, key)
            data[f"{name}_{answer.pk}"] = value
    return data


def answer_formset_from_rows(rows, answers, files=None) -> AnswerFormSet:
    """The enterprise's formset bound to the API's rows (only the answers they name);
    `files` holds the uploads by field name (`evidence_<pk>`), if any."""
    named = {row.get("id") for row in rows}
    answers = [a for a in answers if a.pk in named]

    def current(answer, key):
        if key == "score":
            return "" if answer.score is None else str(answer.score)
        return getattr(answer, key)

    names = {"score": "score", "not_applicable": "na", "note": "note"}
    return AnswerFormSet(
        _api_data(rows, answers, names=names, current=current), files or {}, answers=answers
    )


def review_formset_from_rows(rows, answers) -> ReviewFormSet:
    """The reviewer's formset bound to the API's adjustments (only the answers they name)."""
    named = {row.get("id") for row in rows}
    answers = [a for a in answers if a.pk in named]
    names = {"score": "reviewed", "reason": "reason", "clear_na": "clear_na"}
    defaults = {"score": "", "reason": "", "clear_na": False}
    return ReviewFormSet(
        _api_data(rows, answers, names=names, current=lambda _a, key: defaults[key]),
        answers=answers,
    )


class _StepInput(forms.Form):
    """The input of one workflow step (enterprises/assessment/workflow.py): the step's own
    fields plus a formset over the assessment's answers. Fields are not prefixed by the
    step: the page's one form posts to either of its two steps."""

    formset_class: type[BaseAnswerFormSet]

    def __init__(self, data=None, files=None, *, assessment, answers=None, prefix=None, **kwargs):
        super().__init__(data, files, **kwargs)
        self.assessment = assessment
        answers = assessment.answers.all() if answers is None else answers
        self.formset = (
            self.formset_class(data, files, answers=answers)
            if data is not None
            else self.formset_class(answers=answers)
        )

    def add_prefix(self, field_name: str) -> str:
        return field_name

    def clean(self):
        cleaned = super().clean()
        if not self.formset.is_valid():
            raise ValidationError(self.formset.messages())
        return cleaned


class AnswersInput(_StepInput):
    """Save a draft or submit: one AnswerForm per answer."""

    formset_class = AnswerFormSet

    def clean(self):
        cleaned = super().clean()
        cleaned["answers"] = self.formset.changes()
        cleaned["evidence"] = self.formset.evidence()
        return cleaned

    @staticmethod
    def api_data(payload: dict, answers) -> tuple[dict, list]:
        """Form data from the API's {"answers": [{"id", ...}]}, and the answers it names."""
        rows = payload.get("answers") or []
        formset = answer_formset_from_rows(rows, answers)
        return formset.data, formset.answers


class ReviewInput(_StepInput):
    """Accept or return: the reviewer's note and one ReviewAnswerForm per answer."""

    formset_class = ReviewFormSet

    note = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea)

    def clean(self):
        cleaned = super().clean()
        cleaned["adjustments"] = self.formset.adjustments()
        return cleaned

    @staticmethod
    def api_data(payload: dict, answers) -> tuple[dict, list]:
        """Form data from the API's {"note", "adjustments": [{"id", ...}]}."""
        formset = review_formset_from_rows(payload.get("adjustments") or [], answers)
        return {**formset.data, "note": payload.get("note", "")}, formset.answers
