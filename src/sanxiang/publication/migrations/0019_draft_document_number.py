"""Issue 18 item 3: a licence case's publication drafts are keyed by the decision document's 文号
as well as its kind, so that a licence's second change or renewal gets a draft of its own (it was
never published: one draft per case and kind). The drafts already made take the 文号 their facts
hold (`facts["decision"]["number"]`); every other draft keeps ""."""

from django.db import migrations, models


def number_fill(apps, schema_editor):
    Draft = apps.get_model("publication", "PublicationDraft")
    for draft in Draft.objects.filter(decision__startswith="permit_").only("pk", "facts").iterator():
        number = ((draft.facts or {}).get("decision") or {}).get("number") or ""
        if number:
            Draft.objects.filter(pk=draft.pk).update(document_number=number)


class Migration(migrations.Migration):

    dependencies = [
        ('publication', '0018_search_index_dated'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='publicationdraft',
            name='publication_draft_decision_unique',
        ),
        migrations.AddField(
            model_name='publicationdraft',
            name='document_number',
            field=models.CharField(blank=True, default='', max_length=80, verbose_name='决定书文号'),
        ),
        # The schema first, the rows after (no ALTER TABLE with row changes pending on PostgreSQL):
        # with every number "" the constraint holds exactly what the old one did.
        migrations.AddConstraint(
            model_name='publicationdraft',
            constraint=models.UniqueConstraint(fields=('case', 'decision', 'document_number'),
                                               name='publication_draft_document_unique'),
        ),
        migrations.RunPython(number_fill, migrations.RunPython.noop),
    ]
