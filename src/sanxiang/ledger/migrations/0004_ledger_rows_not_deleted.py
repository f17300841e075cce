"""The table of ledgers refuses DELETE as well as UPDATE (review r3, F6): deleting the row of the
log of heads silenced the check of every county's head against the signed log, and deleting a
county's row left its entries outside every verified ledger. A row, once written, stays.

Tests empty the table with the triggers dropped (`tests.ledger.helpers.ledger_purge`), as they
already do for the entries; on PostgreSQL the tests' flush runs with the replication role, which
skips triggers."""

from django.db import migrations

# The tables whose rows the database refuses to UPDATE or DELETE (ledger_head stays updatable).
APPEND_ONLY_TABLES = ("ledger_entry", "ledger_node", "ledger_checkpoint", "ledger_ledgeragency", "ledger_ledger")

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


def _pg_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION sanxiang_ledger_refuse_change();"
    )


def _sqlite_trigger(table: str, op: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END;"
    )


def sql_install(vendor: str, tables=APPEND_ONLY_TABLES) -> list[str]:
    """Every append-only trigger (the names of migrations 0002 and 0003, so that either drops them)."""
    if vendor == "postgresql":
        return [PG_FUNCTION, *(_pg_trigger(table) for table in tables)]
    if vendor == "sqlite":
        return [_sqlite_trigger(table, op) for table in tables for op in ("UPDATE", "DELETE")]
    raise NotImplementedError(f"append-only triggers for {vendor} are not written yet")


def sql_drop(vendor: str, tables=APPEND_ONLY_TABLES) -> list[str]:
    if vendor == "postgresql":
        return [*(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in tables),
                "DROP FUNCTION IF EXISTS sanxiang_ledger_refuse_change();"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_{op};" for table in tables for op in ("update", "delete")]
    return []


def _run(statements, schema_editor) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def ledgers_refuse_delete(apps, schema_editor):
    """Replace the UPDATE-only trigger of ledger_ledger by one refusing UPDATE and DELETE."""
    vendor = schema_editor.connection.vendor
    table = "ledger_ledger"
    if vendor == "postgresql":
        _run([f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", _pg_trigger(table)], schema_editor)
    elif vendor == "sqlite":
        _run([f"DROP TRIGGER IF EXISTS {table}_no_delete;", _sqlite_trigger(table, "DELETE")], schema_editor)
    else:
        raise NotImplementedError(f"append-only triggers for {vendor} are not written yet")


def ledgers_allow_delete(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    table = "ledger_ledger"
    if vendor == "postgresql":
        _run([f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
              f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
              "FOR EACH ROW EXECUTE FUNCTION sanxiang_ledger_refuse_change();"], schema_editor)
    elif vendor == "sqlite":
        _run([f"DROP TRIGGER IF EXISTS {table}_no_delete;"], schema_editor)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_many_ledgers")]

    operations = [migrations.RunPython(ledgers_refuse_delete, ledgers_allow_delete, elidable=False)]
