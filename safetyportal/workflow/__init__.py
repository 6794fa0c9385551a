"""The workflow kit (docs/decisions/0007-workflow-kit.md).

Declare each step of a multi-step record once (`Step`), group them in a `Workflow`, and get:
the detail page's step panel (`Workflow.panel`), the HTML POST handling
(`html.step_view`), the API actions (`api.step_actions`) and their OpenAPI description.
One error vocabulary: `StepNotAllowed` (409), `StepForbidden` (403), Django's
ValidationError (400) and the doors' Http404. Imports no domain app.
"""

from safetyportal.workflow.errors import StepForbidden, StepNotAllowed
from safetyportal.workflow.steps import Step, StepPanel, Workflow

__all__ = ["Step", "StepForbidden", "StepNotAllowed", "StepPanel", "Workflow"]
