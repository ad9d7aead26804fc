"""One FilterSet per list, shared by the HTML list and the API list; one module per area of the app.

Import from the module (`from cases.filters.groups import GroupFilter`): the package re-exports nothing.
"""
