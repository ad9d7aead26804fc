"""DRF date fields with the portal's bounds (agencies.bounds), so a year-1 or year-9999 value is a 400.

DRF's own DateTimeField raises OverflowError (a 500) on a naive year-1 value before any validator runs: it
makes the value aware in the local zone, and Stockholm's offset reaches before year 1. These fields turn
that into the field's ordinary Swedish error and then check the window.
"""

from rest_framework import serializers

from agencies import bounds


class DateField(serializers.DateField):
    def __init__(self, window: bounds.Window, **kwargs) -> None:
        kwargs["validators"] = [*kwargs.get("validators", ()), window]
        super().__init__(**kwargs)


class DateTimeField(serializers.DateTimeField):
    def __init__(self, window: bounds.Window, **kwargs) -> None:
        self.window = window
        kwargs["validators"] = [*kwargs.get("validators", ()), window]
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except (OverflowError, ValueError):
            # The same message as a parsable value outside the window.
            raise serializers.ValidationError(self.window.error().messages) from None
        except serializers.ValidationError as exc:
            if exc.get_codes() in (["overflow"], ["make_aware"]):  # DRF's own English "out of range"
                raise serializers.ValidationError(self.window.error().messages) from None
            raise
