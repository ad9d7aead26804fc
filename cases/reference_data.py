"""Örebro's real districts (docs/architecture.md): data, not code. Written by migration 0002 and again after every
migrate or flush (see agencies/reference_data.py for why). Existing rows are never changed; a district is
retired by setting it inactive."""

DISTRICTS = [
    "Centrum", "Vivalla", "Varberga", "Oxhagen", "Baronbackarna", "Brickebacken", "Markbacken",
    "Adolfsberg", "Hjärsta", "Lundby", "Mellringe", "Hovsta", "Almby", "Axberg",
]  # fmt: skip


def ensure_districts(District) -> None:
    for name in DISTRICTS:
        District.objects.get_or_create(name=name)


def on_post_migrate(sender, **kwargs) -> None:
    from .models import District

    if sender.name == "cases":
        ensure_districts(District)
