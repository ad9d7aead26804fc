"""Django's `flush`, able to empty the append-only log tables too.

Flushing wipes the whole database; the test suite does it between tests that commit. The log's triggers
would refuse it, so they are lifted for the flush and put back afterwards. Dropping a trigger takes the
table's owner: on PostgreSQL the application's own role cannot run this (agencies/append_only.py).
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from agencies import append_only


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options["database"]]
        append_only.uninstall(connection)
        try:
            return super().handle(**options)
        finally:
            append_only.install(connection)
