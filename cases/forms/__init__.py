"""Forms, one module per area of the app (individuals, sharing, groups, incidents, exit cases, consents).

They validate input only; the writes and their rules live in cases.services, and every choice of a
protected record is drawn through the gate. Import from the module, e.g. `from cases.forms.groups import
GroupForm`: this package re-exports nothing, so a form's area is always in its import.
"""
