"""What the events app announces to the apps above it (README, "How lower
apps tell higher ones"). Each signal is sent after commit."""

from django.dispatch import Signal

# An event's campaign figures may have changed. Arguments: event_id.
event_figures_changed = Signal()
