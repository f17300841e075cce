"""Issue 20: the portal's list filtered by a kind of decision read every row (no index on `kinds`;
6-11 s for a rare kind at 1,000,000 publications). A partial index of each kind's rows by (status,
decided_on), on both engines (`publication.search.kind_indexes_install`). The kinds as they stand
today (penalties and compulsory decisions): a new kind adds its index in a migration of its own."""

from django.db import migrations

KINDS = [
    "warning", "public_criticism", "fine", "confiscate_gains", "confiscate_property", "suspend_permit",
    "downgrade_qualification", "revoke_permit", "restrict_business", "suspend_business", "close",
    "restrict_practice", "detention", "other",
    "seal_up", "seizure", "freeze", "execution", "substitute",
]


def install(apps, schema_editor):
    from sanxiang.publication.search import kind_indexes_install

    kind_indexes_install(connection=schema_editor.connection, kinds=KINDS)


def uninstall(apps, schema_editor):
    from sanxiang.publication.search import kind_indexes_uninstall

    kind_indexes_uninstall(connection=schema_editor.connection, kinds=KINDS)


class Migration(migrations.Migration):

    dependencies = [
        ("publication", "0020_annual_permit_and_other_act_rows"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
