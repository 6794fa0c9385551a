"""The one error vocabulary of the portal's workflows.

- `StepNotAllowed` (409): the record's state does not allow the step now; the message says why.
- `StepForbidden` (403): the user's role or jurisdiction does not allow it.
- Invalid input is Django's `ValidationError` (400, field errors).
- Out of scope or missing records are `Http404` raised by the doors (get_<obj>_for_user).

The HTML helper (`safetyportal.workflow.html`) and the DRF exception handler
(`safetyportal.workflow.drf.exception_handler`) are the only places that turn them into
HTTP answers.
"""

from __future__ import annotations


class StepNotAllowed(Exception):
    """A workflow step refused; the message (Chinese) says why. Nothing was changed."""

    status_code = 409


class StepForbidden(StepNotAllowed):
    """The user's role or jurisdiction does not allow the step."""

    status_code = 403
