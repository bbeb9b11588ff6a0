"""What the products app announces to the apps above it (README, "How lower
apps tell higher ones"). Each signal is sent after commit."""

from django.dispatch import Signal

# A product left the catalogue. Arguments: product, actor, note.
product_withdrawn = Signal()
