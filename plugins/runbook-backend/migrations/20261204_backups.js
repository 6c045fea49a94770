// @ts-check

/**
 * The catalog of backups: database dumps of DR targets and configuration bundles of
 * services. The artifacts themselves live in the backup store (a directory by default);
 * a row exists only for an artifact stored completely. Times are epoch milliseconds.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('runbook_backups', table => {
    table.string('id', 128).primary();
    table.string('target', 255).notNullable();
    table.string('kind', 16).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('store_key', 512).notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('size_bytes').notNullable();
    table.string('sha256', 64).notNullable();
    table.text('tables').notNullable();
    table.string('run_id', 36).notNullable();
    table.string('origin', 16).notNullable();
    table.string('created_by', 255).notNullable();
    table.string('tool', 255);
    table.string('newest_data_at', 32);
    table.text('details');
    table.string('safety_for', 36);
    table.bigInteger('verified_at');
    table.string('verified_by', 255);
    table.boolean('verified_ok');
    table.boolean('verified_full');
    table.text('verified_detail');
    table.string('verified_run_id', 36);
    table.index(['target', 'kind', 'created_at'], 'runbook_backups_target_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('runbook_backups');
};
