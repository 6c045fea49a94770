// @ts-check

/**
 * Fleet runs may wait for approval: their approval (rule, approvers, decisions) as JSON,
 * and room for `awaiting-approval` in the statuses of fleet runs and of their services,
 * which show their run's status (a service's run may wait for approval too).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runbook_fleet_runs', table => {
    table.text('approval');
  });
  for (const name of ['runbook_fleet_runs', 'runbook_fleet_children']) {
    await knex.schema.alterTable(name, table => {
      table.string('status', 32).notNullable().alter();
    });
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of ['runbook_fleet_children', 'runbook_fleet_runs']) {
    await knex.schema.alterTable(name, table => {
      table.string('status', 16).notNullable().alter();
    });
  }
  await knex.schema.alterTable('runbook_fleet_runs', table => {
    table.dropColumn('approval');
  });
};
