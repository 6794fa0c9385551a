"""Steps declared once; the buttons, the HTML POST handling, the API actions and the
OpenAPI description are all derived from the declaration (docs/decisions/0007).

A workflow is a list of `Step`s over one model with a `TRANSITIONS` table
(step -> (source states, target state or None)), kept on the model (style rule 3). Whether
a user may take a step is answered in one order on the page and in the API: the rule
(403, `StepForbidden`: who may act comes before what was sent), then the input (400,
`ValidationError`), then the state and the guard (409, `StepNotAllowed`), then the service,
which checks again under lock. The same checks make the buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext

from safetyportal.workflow.errors import StepForbidden, StepNotAllowed

Rule = Callable[[Any, Any], "str | None"]  # (user, obj) -> reason in Chinese, or None
Guard = Callable[[Any], "str | None"]  # obj -> reason in Chinese, or None


@dataclass(frozen=True)
class Step:
    """One step of a workflow, declared once.

    `service` is called as service(actor=user, <object_arg>=obj.pk, **cleaned_data); it
    locks, checks again, changes and audits. `label` may be a callable(obj) for a label
    that depends on the record (e.g. 提交整改 / 申请销号).
    """

    name: str  # url slug: /<obj>/<pk>/<name>/ and the API action's url_path
    label: str | Promise | Callable[[Any], str | Promise]
    form: type[forms.Form]
    service: Callable[..., Any]
    success: str | Promise
    rule: Rule
    transition: str | None = None  # key of the model's TRANSITIONS table, None: any state
    guard: Guard | None = None  # state-side condition beyond the table
    style: str = "primary"  # or "danger"
    confirm: str | Promise | None = None  # confirmation text; None: no confirmation
    summary: str | Promise = ""  # the API operation's summary (default: the label)
    # shown disabled with the rule's reason to users for whom this is true (e.g. officials
    # who could verify but not this one): Callable[[user], bool]
    show_refused: Callable[[Any], bool] | None = None
    form_kwargs: Callable[[Any, Any], Mapping[str, Any]] | None = None  # (user, obj) -> kwargs
    initial: Mapping[str, Any] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        """The form prefix and the API action's method name."""
        return self.name.replace("-", "_")

    def label_for(self, obj: Any = None) -> str:
        label = self.label
        if callable(label) and not isinstance(label, Promise):
            return str(label(obj))
        return str(label)


@dataclass
class StepPanel:
    """What the detail page shows for one step: its form, or the reason it is refused."""

    step: Step
    label: str
    form: forms.Form | None = None
    reason: str | None = None
    url: str = ""

    @property
    def name(self) -> str:
        return self.step.name

    @property
    def enabled(self) -> bool:
        return self.reason is None


class Workflow:
    """The steps of one model, with the door that fetches the model for a user."""

    def __init__(
        self,
        *,
        name: str,
        steps: Iterable[Step],
        get_for_user: Callable[..., Any],
        object_arg: str,
        transitions: Mapping[str, tuple[Iterable[str], str | None]],
        state_field: str = "status",
        state_refusal: Callable[[Any, str], str | None] | None = None,
    ) -> None:
        self.name = name
        self.steps: dict[str, Step] = {}
        for step in steps:
            if step.name in self.steps:
                raise ValueError(f"step {step.name!r} declared twice in {name}")
            if step.transition is not None and step.transition not in transitions:
                raise ValueError(f"step {step.name!r}: no transition {step.transition!r}")
            self.steps[step.name] = step
        self.get_for_user = get_for_user
        self.object_arg = object_arg
        self.transitions = transitions
        self.state_field = state_field
        self._state_refusal = state_refusal

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps.values())

    def get(self, name: str) -> Step:
        try:
            return self.steps[name]
        except KeyError:
            raise Http404("unknown step") from None

    def sources(self, step: Step) -> tuple[str, ...]:
        if step.transition is None:
            return ()
        return tuple(self.transitions[step.transition][0])

    def target(self, step: Step) -> str | None:
        if step.transition is None:
            return None
        return self.transitions[step.transition][1]

    # --- who may do what, in one order --------------------------------------------------

    def state_refusal(self, obj: Any, step: Step) -> str | None:
        """Why the record's state does not allow `step` now (None: it does)."""
        if step.transition is not None:
            if self._state_refusal is not None:
                reason = self._state_refusal(obj, step.transition)
            elif getattr(obj, self.state_field) not in self.sources(step):
                display = getattr(obj, f"get_{self.state_field}_display", None)
                reason = gettext("当前状态为“%(status)s”，不能执行“%(step)s”。") % {
                    "status": display() if display else getattr(obj, self.state_field),
                    "step": step.label_for(obj),
                }
            else:
                reason = None
            if reason:
                return reason
        return step.guard(obj) if step.guard is not None else None

    def check_rule(self, user: Any, obj: Any, step: Step) -> None:
        """Raise StepForbidden (403) if the rule refuses `user`."""
        reason = step.rule(user, obj)
        if reason:
            raise StepForbidden(reason)

    def check_state(self, obj: Any, step: Step) -> None:
        """Raise StepNotAllowed (409) if the record's state or the guard refuses."""
        reason = self.state_refusal(obj, step)
        if reason:
            raise StepNotAllowed(reason)

    def check(self, user: Any, obj: Any, step: Step) -> None:
        self.check_rule(user, obj, step)
        self.check_state(obj, step)

    def available(self, user: Any, obj: Any) -> list[Step]:
        """The steps `user` may take on `obj` now."""
        return [
            step
            for step in self
            if self.state_refusal(obj, step) is None and step.rule(user, obj) is None
        ]

    # --- forms and the page's panel -----------------------------------------------------

    def form(self, step: Step, user: Any, obj: Any, data=None, files=None) -> forms.Form:
        kwargs = dict(step.form_kwargs(user, obj)) if step.form_kwargs else {}
        if data is None:
            return step.form(prefix=step.prefix, initial=dict(step.initial), **kwargs)
        return step.form(data, files, prefix=step.prefix, **kwargs)

    def panel(
        self,
        user: Any,
        obj: Any,
        *,
        url_for: Callable[[Any, Step], str],
        bound: Mapping[str, forms.Form] | None = None,
    ) -> list[StepPanel]:
        """The steps to show on the detail page: a form for each step `user` may take
        now, and (where the step says so) a disabled entry with the reason it is refused.
        `url_for(obj, step)` is the step's POST URL."""
        bound = bound or {}
        panels = []
        for step in self:
            if self.state_refusal(obj, step) is not None:
                continue
            reason = step.rule(user, obj)
            label = step.label_for(obj)
            if reason is None:
                form = bound.get(step.name) or self.form(step, user, obj)
                panels.append(StepPanel(step=step, label=label, form=form, url=url_for(obj, step)))
            elif step.show_refused is not None and step.show_refused(user):
                panels.append(StepPanel(step=step, label=label, reason=reason))
        return panels

    def run(self, step: Step, *, actor: Any, obj: Any, data: Mapping[str, Any]) -> Any:
        """Call the step's service, the one convention: service(actor=, <obj>_id=, **data)."""
        return step.service(actor=actor, **{self.object_arg: obj.pk}, **data)
