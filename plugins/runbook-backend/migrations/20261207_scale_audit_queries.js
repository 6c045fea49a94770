// @ts-check

/**
 * `GET /audit` filters at a million rows: each filter column indexed together with `seq`,
 * so a page (ordered by seq, either way) is a range of one index instead of every match
 * sorted; the run filter and the time range had no index at all.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runbook_audit', table => {
    table.dropIndex([], 'runbook_audit_entity_idx');
    table.dropIndex([], 'runbook_audit_actor_idx');
    table.index(['entity_ref', 'seq'], 'runbook_audit_entity_seq_idx');
    table.index(['actor', 'seq'], 'runbook_audit_actor_seq_idx');
    table.index(['action', 'seq'], 'runbook_audit_action_seq_idx');
    table.index(['run_id', 'seq'], 'runbook_audit_run_seq_idx');
    table.index(['at'], 'runbook_audit_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runbook_audit', table => {
    table.dropIndex([], 'runbook_audit_at_idx');
    table.dropIndex([], 'runbook_audit_run_seq_idx');
    table.dropIndex([], 'runbook_audit_action_seq_idx');
    table.dropIndex([], 'runbook_audit_actor_seq_idx');
    table.dropIndex([], 'runbook_audit_entity_seq_idx');
    table.index(['entity_ref'], 'runbook_audit_entity_idx');
    table.index(['actor'], 'runbook_audit_actor_idx');
  });
};
