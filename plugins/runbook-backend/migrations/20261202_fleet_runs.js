// @ts-check

/**
 * Fleet runs: start-all, stop-all or diagnostics over a System or the Domain. A fleet
 * run stores its plan as one row per service (position = plan order, depth = the layer
 * it runs in), each with its run once it has one. `owner` and `lease_expires_at` say
 * which backend drives it; when the lease expires another one takes it over. Times are
 * epoch milliseconds.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('runbook_fleet_runs', table => {
    table.string('id', 36).primary();
    table.string('scope_ref', 255).notNullable();
    table.string('action', 32).notNullable();
    table.string('status', 16).notNullable();
    table.string('actor', 255).notNullable();
    table.text('reason');
    table.text('input').notNullable();
    table.text('error');
    table.boolean('cancel_requested').notNullable().defaultTo(false);
    table.string('owner', 64).notNullable();
    table.bigInteger('lease_expires_at').notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('started_at');
    table.bigInteger('finished_at');
    table.index(['scope_ref', 'created_at'], 'runbook_fleet_runs_scope_idx');
    table.index(['status'], 'runbook_fleet_runs_status_idx');
  });

  await knex.schema.createTable('runbook_fleet_children', table => {
    table
      .string('fleet_id', 36)
      .notNullable()
      .references('id')
      .inTable('runbook_fleet_runs')
      .onDelete('CASCADE');
    table.integer('position').notNullable();
    table.string('entity_ref', 255).notNullable();
    table.integer('depth').notNullable();
    table.string('status', 16).notNullable();
    table.string('run_id', 36);
    table.text('reason');
    table.primary(['fleet_id', 'position']);
    table.index(['entity_ref'], 'runbook_fleet_children_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('runbook_fleet_children');
  await knex.schema.dropTable('runbook_fleet_runs');
};
