// @ts-check

/**
 * A run's `result`: the report an action produces (a diagnosis, a verification), apart
 * from `after`, the state it leaves.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runbook_runs', table => {
    table.text('result');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runbook_runs', table => {
    table.dropColumn('result');
  });
};
