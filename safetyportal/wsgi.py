import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetyportal.settings")
application = get_wsgi_application()

# Each web worker imports WeasyPrint and opens the CJK fonts as it starts (about 2 s), not in
# the first user's PDF request (safetyportal/core/pdf.py).
from safetyportal.core.pdf import warm_up  # noqa: E402

warm_up()
