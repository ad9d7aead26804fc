"""The outreach demo data, run by `manage.py seed_demo` through cases.extensions.demo_seeders."""

LABELS = {
    "call_ins": "call-ins",
    "invitations": "inbjudningar",
    "help_requests": "begäran om hjälp",
    "notifications": "individuella samtal",
    "enforcement_responses": "insatser efter våld",
    "levers": "åtgärder i insatser",
    "review_meetings": "veckogenomgångar",
    "review_actions": "åtgärder från genomgångar",
}


def register() -> None:
    from cases import extensions

    from .seed import seed_outreach

    extensions.demo_seeders.register("outreach", seed_outreach, labels=LABELS)
