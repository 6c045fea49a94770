// @ts-check

/**
 * Routine maintenance: one row per occurrence of a task that has been done or checked
 * (its id is `<task>@<period>`, so each check is recorded once per period whatever the
 * number of replicas), and one row per overdue notice sent. Times are epoch milliseconds.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('runbook_maintenance_items', table => {
    table.string('id', 96).primary();
    table.string('task_id', 64).notNullable();
    table.string('period', 16).notNullable();
    table.bigInteger('period_from').notNullable();
    // running (claimed by a replica), done, warn or failed
    table.string('status', 16).notNullable();
    table.string('done_by', 255);
    table.bigInteger('done_at');
    table.bigInteger('claimed_at').notNullable();
    table.text('evidence');
    table.text('summary');
    table.index(
      ['period', 'period_from'],
      'runbook_maintenance_items_period_idx',
    );
  });
  await knex.schema.createTable('runbook_maintenance_notices', table => {
    table.string('item_id', 96).primary();
    table.bigInteger('sent_at').notNullable();
    table.text('recipients').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('runbook_maintenance_notices');
  await knex.schema.dropTable('runbook_maintenance_items');
};
