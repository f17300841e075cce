"""The database itself refuses UPDATE and DELETE on the append-only ledger tables.

The head row (ledger_head) stays updatable: it is the moving pointer, and `sanxiang verify`
never trusts it. On PostgreSQL, TRUNCATE bypasses row triggers: the application role must also
lose UPDATE, DELETE and TRUNCATE on these tables (see the README's PostgreSQL section). A
database superuser can still drop a trigger; that is what signed checkpoints held outside the
database detect.
"""

from django.db import migrations

APPEND_ONLY_TABLES = ("ledger_entry", "ledger_node", "ledger_checkpoint")

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


def sql_install(vendor: str) -> list[str]:
    statements = []
    if vendor == "postgresql":
        statements.append(PG_FUNCTION)
        for table in APPEND_ONLY_TABLES:
            statements.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION sanxiang_ledger_refuse_change();"
            )
    elif vendor == "sqlite":
        for table in APPEND_ONLY_TABLES:
            for op in ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END;"
                )
    else:
        raise NotImplementedError(f"append-only triggers for {vendor} are not written yet")
    return statements


def sql_drop(vendor: str) -> list[str]:
    statements = []
    if vendor == "postgresql":
        for table in APPEND_ONLY_TABLES:
            statements.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        statements.append("DROP FUNCTION IF EXISTS sanxiang_ledger_refuse_change();")
    elif vendor == "sqlite":
        for table in APPEND_ONLY_TABLES:
            for op in ("update", "delete"):
                statements.append(f"DROP TRIGGER IF EXISTS {table}_no_{op};")
    return statements


def _run(statements: list[str], schema_editor) -> None:
    for sql in statements:
        # params=None: no placeholder processing, so '%' in SQL needs no escaping.
        schema_editor.execute(sql, params=None)


def install(apps, schema_editor):
    _run(sql_install(schema_editor.connection.vendor), schema_editor)


def drop(apps, schema_editor):
    _run(sql_drop(schema_editor.connection.vendor), schema_editor)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(install, drop, elidable=False)]
