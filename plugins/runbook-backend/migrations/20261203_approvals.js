// @ts-check

/**
 * A run's approval (rule, approvers, expiry, the diff shown, decisions) as JSON, for runs
 * that an approval rule or an emergency during a change freeze covers; and room in
 * `status` for `awaiting-approval`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runbook_runs', table => {
    table.text('approval');
    table.string('status', 32).notNullable().alter();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runbook_runs', table => {
    table.dropColumn('approval');
    table.string('status', 16).notNullable().alter();
  });
};
