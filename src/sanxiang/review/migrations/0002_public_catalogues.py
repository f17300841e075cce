"""Issue 11: the portal reads the catalogues of major decisions from publication's public read
model. Versions published before that table existed are carried over into it here, as the
review app's `CataloguePublished` event now writes them (the same fields, from the same content)."""

import datetime as dt

from django.db import migrations


def carry_over(apps, schema_editor):
    CataloguePublication = apps.get_model("review", "CataloguePublication")
    PublicCatalogue = apps.get_model("publication", "PublicCatalogue")
    for publication in CataloguePublication.objects.order_by("agency_id", "version").iterator():
        content = publication.content
        PublicCatalogue.objects.get_or_create(
            agency_source_id=publication.agency_id,
            version=publication.version,
            defaults={
                "published_on": dt.date.fromisoformat(content["published_on"]),
                "published_at": publication.published_at,
                "title": content["title"],
                "agency_name": content["agency_name"],
                "legal_basis": content["legal_basis"],
                "listed": list(content["listed"]),
                "matters": [
                    {"code": m["code"], "name": m["name"], "legal_basis": m["legal_basis"]} for m in content["matters"]
                ],
                "statutory": list(content["statutory"]),
                "statutory_basis": content["statutory_basis"],
                "discussion_for": [d["label"] for d in content["discussion_for"]],
                "discussion_basis": content["discussion_basis"],
                "explanation": content["explanation"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("publication", "0004_public_catalogue"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
