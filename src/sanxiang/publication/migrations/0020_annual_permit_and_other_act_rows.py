"""Issue 18 item 2: the public annual report carries the rows of 行政许可 (申请、受理、不予受理、准予许可、
不予许可、变更、延续、不予延续、撤回、撤销、注销) and of the other acts (行政给付、确认、奖励、裁决、其他);
a report published before has none (empty, not shown as "—")."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('publication', '0019_draft_document_number'),
    ]

    operations = [
        migrations.AddField(
            model_name='annualreport',
            name='other_act_rows',
            field=models.JSONField(blank=True, default=dict, verbose_name='其他行政行为数据'),
        ),
        migrations.AddField(
            model_name='annualreport',
            name='permit_rows',
            field=models.JSONField(blank=True, default=dict, verbose_name='行政许可分项数据'),
        ),
    ]
