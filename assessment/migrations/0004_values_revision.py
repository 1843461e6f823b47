"""ValuesRevision and the triggers that keep it: every insert, update or delete of stage values
raises the revision of the evaluations they belong to, whatever wrote them (see the model)."""

import django.db.models.deletion
from django.db import migrations, models

BUMP = """
INSERT INTO assessment_valuesrevision (evaluation_id, revision)
SELECT DISTINCT a.evaluation_id, 1 FROM assessment_answer a WHERE {where}
ON CONFLICT (evaluation_id) DO UPDATE SET revision = assessment_valuesrevision.revision + 1;
"""

# PostgreSQL: statement-level triggers with transition tables, so a COPY or bulk insert of
# thousands of values raises each evaluation's revision once, not once per row. An update
# never moves a value to another answer (answer_id is not edited), so its new rows suffice.
POSTGRES = [
    "CREATE FUNCTION assessment_values_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    + BUMP.format(where="a.id IN (SELECT answer_id FROM changed_rows)")
    + " RETURN NULL; END $$;",
    *(
        f"CREATE TRIGGER assessment_values_{event.lower()} AFTER {event} ON assessment_stagevalue "
        f"REFERENCING {table} TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION assessment_values_changed();"
        for event, table in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
    ),
]
POSTGRES_DROP = [
    *(f"DROP TRIGGER IF EXISTS assessment_values_{e} ON assessment_stagevalue;" for e in ("insert", "update", "delete")),
    "DROP FUNCTION IF EXISTS assessment_values_changed();",
]
# SQLite has row-level triggers only (the embedded default's volumes are small).
SQLITE = [
    f"CREATE TRIGGER assessment_values_{event.lower()} AFTER {event} ON assessment_stagevalue BEGIN"
    + BUMP.format(where=f"a.id = {row}.answer_id")
    + " END;"
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS assessment_values_{e};" for e in ("insert", "update", "delete")]
# Evaluations that already have values start at revision 1.
BACKFILL = (
    "INSERT INTO assessment_valuesrevision (evaluation_id, revision) SELECT DISTINCT a.evaluation_id, 1 "
    "FROM assessment_stagevalue sv JOIN assessment_answer a ON a.id = sv.answer_id"
)


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise RuntimeError(f"No stage value triggers for {vendor}: add them to this migration.")
    for statement in [BACKFILL, *(POSTGRES if vendor == "postgresql" else SQLITE)]:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_pemdi_bands_sources_carry_over"),
    ]

    operations = [
        migrations.CreateModel(
            name="ValuesRevision",
            fields=[
                (
                    "evaluation",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="values_revision",
                        serialize=False,
                        to="assessment.evaluation",
                    ),
                ),
                ("revision", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
