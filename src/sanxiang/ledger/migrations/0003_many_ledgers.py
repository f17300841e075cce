"""Many ledgers in one database (issue 12): a table of ledgers, the mapping of agencies to
ledgers, and a `ledger_id` on entries, nodes and checkpoints, part of the primary keys of entries
and nodes. Everything that exists becomes ledger 1, the default ledger, unchanged (same seq, same
bodies and hashes, same checkpoints). The default ledger has no row in the table of ledgers: its
id (1) and origin (the configured one) are fixed.

On PostgreSQL the primary keys are changed in place (ADD COLUMN with a default rewrites nothing);
on SQLite, which cannot change a primary key, the two tables are rebuilt and their rows copied.
The append-only triggers are dropped for the rebuild and installed again, on the new tables too.
"""

import django.db.models.deletion
from django.db import migrations, models

# Tables whose rows the database refuses to UPDATE or DELETE (ledger_head stays updatable). The
# table of ledgers only refuses UPDATE (a ledger's name makes its origin line): its rows are not
# part of what is verified, and a test database's flush must be able to empty it.
APPEND_ONLY_TABLES = ("ledger_entry", "ledger_node", "ledger_checkpoint", "ledger_ledgeragency")
NO_UPDATE_TABLES = ("ledger_ledger",)
OLD_TABLES = ("ledger_entry", "ledger_node", "ledger_checkpoint")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION sanxiang_ledger_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'insufficient_privilege',
        MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused';
END
$$;
"""


def sql_install(vendor: str, tables=APPEND_ONLY_TABLES, no_update=NO_UPDATE_TABLES) -> list[str]:
    statements = []
    if vendor == "postgresql":
        statements.append(PG_FUNCTION)
        for table in (*tables, *no_update):
            ops = "UPDATE" if table in no_update else "UPDATE OR DELETE"
            statements.append(
                f"CREATE TRIGGER {table}_append_only BEFORE {ops} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION sanxiang_ledger_refuse_change();"
            )
    elif vendor == "sqlite":
        for table in (*tables, *no_update):
            for op in ("UPDATE",) if table in no_update else ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END;"
                )
    else:
        raise NotImplementedError(f"append-only triggers for {vendor} are not written yet")
    return statements


def sql_drop(vendor: str, tables=APPEND_ONLY_TABLES, no_update=NO_UPDATE_TABLES) -> list[str]:
    statements = []
    if vendor == "postgresql":
        for table in (*tables, *no_update):
            statements.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        statements.append("DROP FUNCTION IF EXISTS sanxiang_ledger_refuse_change();")
    elif vendor == "sqlite":
        for table in (*tables, *no_update):
            for op in ("update", "delete"):
                statements.append(f"DROP TRIGGER IF EXISTS {table}_no_{op};")
    return statements


def _run(statements, schema_editor) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def triggers_drop_old(apps, schema_editor):
    _run(sql_drop(schema_editor.connection.vendor, OLD_TABLES, ()), schema_editor)


def triggers_install(apps, schema_editor):
    _run(sql_install(schema_editor.connection.vendor), schema_editor)


ENTRY_STATE = [
    migrations.RemoveIndex(model_name="entry", name="ledger_entry_case"),
    migrations.RemoveIndex(model_name="entry", name="ledger_entry_subject"),
    migrations.AddField(
        model_name="entry",
        name="ledger_id",
        field=models.PositiveSmallIntegerField(default=1, verbose_name="账本"),
    ),
    migrations.AlterField(model_name="entry", name="seq", field=models.BigIntegerField(verbose_name="序号")),
    migrations.AddField(
        model_name="entry",
        name="pk",
        field=models.CompositePrimaryKey(
            "ledger_id", "seq", blank=True, editable=False, primary_key=True, serialize=False
        ),
    ),
    migrations.AddIndex(
        model_name="entry",
        index=models.Index(fields=["case_id", "ledger_id", "seq"], name="ledger_entry_case_seq"),
    ),
    migrations.AddIndex(
        model_name="entry",
        index=models.Index(fields=["subject", "ledger_id", "seq"], name="ledger_entry_subject_seq"),
    ),
    migrations.AddField(model_name="node", name="ledger_id", field=models.PositiveSmallIntegerField(default=1)),
    migrations.AlterField(
        model_name="node",
        name="pk",
        field=models.CompositePrimaryKey(
            "ledger_id", "level", "index", blank=True, editable=False, primary_key=True, serialize=False
        ),
    ),
]

NEW_INDEXES = ("ledger_entry_case_seq", "ledger_entry_subject_seq")


class LedgerIdInPrimaryKeys(migrations.operations.base.Operation):
    """Entries and nodes get `ledger_id` (1 for every existing row) as the first column of their
    primary key."""

    reversible = False

    def state_forwards(self, app_label, state):
        for operation in ENTRY_STATE:
            operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        entry = to_state.apps.get_model(app_label, "Entry")
        node = to_state.apps.get_model(app_label, "Node")
        if vendor == "postgresql":
            for table, key in (("ledger_entry", "ledger_id, seq"), ("ledger_node", 'ledger_id, level, "index"')):
                schema_editor.execute(
                    f"ALTER TABLE {table} ADD COLUMN ledger_id smallint NOT NULL DEFAULT 1 "
                    f"CONSTRAINT {table}_ledger_id_check CHECK (ledger_id >= 0)"
                )
                schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN ledger_id DROP DEFAULT")
                schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey")
                schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({key})")
            schema_editor.execute("DROP INDEX IF EXISTS ledger_entry_case")
            schema_editor.execute("DROP INDEX IF EXISTS ledger_entry_subject")
            for index in entry._meta.indexes:
                if index.name in NEW_INDEXES:
                    schema_editor.add_index(entry, index)
        elif vendor == "sqlite":
            for model in (entry, node):
                table = model._meta.db_table
                with schema_editor.connection.cursor() as cur:
                    cur.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                        [table],
                    )
                    indexes = [row[0] for row in cur.fetchall()]
                for name in indexes:
                    schema_editor.execute(f'DROP INDEX "{name}"')
                schema_editor.execute(f'ALTER TABLE "{table}" RENAME TO "{table}__old"')
                schema_editor.create_model(model)  # with its indexes
                columns = [f.column for f in model._meta.local_concrete_fields if f.column != "ledger_id"]
                quoted = ", ".join(f'"{c}"' for c in columns)
                schema_editor.execute(
                    f'INSERT INTO "{table}" ("ledger_id", {quoted}) SELECT 1, {quoted} FROM "{table}__old"'
                )
                schema_editor.execute(f'DROP TABLE "{table}__old"')
        else:
            raise NotImplementedError(f"no migration of the ledger's keys for {vendor}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        raise NotImplementedError("the ledger's tables cannot go back to a single ledger")

    def describe(self):
        return "Put ledger_id first in the primary keys of ledger entries and nodes"


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(triggers_drop_old, migrations.RunPython.noop, elidable=False),
        migrations.CreateModel(
            name="Ledger",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("name", models.SlugField(max_length=64, unique=True, verbose_name="账本名")),
                ("title", models.CharField(blank=True, max_length=200, verbose_name="账本名称")),
                ("is_log_of_heads", models.BooleanField(default=False, verbose_name="账本头日志")),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
            ],
            options={"verbose_name": "账本", "verbose_name_plural": "账本"},
        ),
        migrations.CreateModel(
            name="LedgerAgency",
            fields=[
                ("agency_id", models.BigIntegerField(primary_key=True, serialize=False, verbose_name="执法主体")),
                ("created_at", models.DateTimeField(verbose_name="创建时间")),
                (
                    "ledger",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ledger.ledger",
                        verbose_name="账本",
                    ),
                ),
            ],
            options={"verbose_name": "执法主体所属账本", "verbose_name_plural": "执法主体所属账本"},
        ),
        migrations.RemoveConstraint(model_name="head", name="ledger_head_single_row"),
        migrations.AddField(
            model_name="checkpoint",
            name="ledger_id",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="账本"),
        ),
        migrations.AddIndex(
            model_name="checkpoint",
            index=models.Index(fields=["ledger_id", "size"], name="ledger_checkpoint_ledger_size"),
        ),
        LedgerIdInPrimaryKeys(),
        migrations.RunPython(triggers_install, migrations.RunPython.noop, elidable=False),
    ]
