"""Signals the reference-data layer sends to the apps above it (it imports none of them)."""

from django.dispatch import Signal

# Sent after `manage.py load_reference_data` has loaded the county's towns, industries and
# supervision map: apps whose own reference rows name an industry (the insurance mandates,
# the safety-cost obligations and rates) add them then, since their data migrations ran
# before any industry existed on a fresh install.
reference_data_loaded = Signal()

# Sent (with `industry`) after the county office changed an industry in the admin, inside
# its transaction: apps above that keep results derived from it (the compliance results,
# which read the high-risk flag) bring them up to date.
industry_changed = Signal()
