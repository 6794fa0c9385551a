"""The room this app's pages offer to apps above it (see safetyportal/core/panels.py).

An app higher in the dependency order (hazards, later enforcement) registers a `Panel` for
one of these pages in its own panels.py; the page renders whatever is registered, without
importing that app. The panel's `context(user, enterprise)` gets the page's enterprise.
"""

# the enterprise file page (enterprises:detail), below the duty records
ENTERPRISE_FILE = "enterprises.file"
# the same file as a PDF (enterprises:file_pdf), between the duty records and the
# self-assessments; its templates are Chinese documents, not translated
ENTERPRISE_FILE_PDF = "enterprises.file_pdf"
