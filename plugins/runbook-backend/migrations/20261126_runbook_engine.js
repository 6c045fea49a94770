// @ts-check

/**
 * Runs, their step logs, per-entity locks, idempotency keys, and the audit chain.
 * Times are epoch milliseconds, except the audit row's `at`, which is hashed and so
 * is stored as the exact ISO string both SQLite and PostgreSQL return unchanged.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('runbook_runs', table => {
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('action', 64).notNullable();
    table.text('input').notNullable();
    table.string('status', 16).notNullable();
    table.string('actor', 255).notNullable();
    table.text('reason');
    table.text('target').notNullable();
    table.text('prepared');
    table.text('before_summary');
    table.text('after_summary');
    table.text('error');
    table.boolean('cancel_requested').notNullable().defaultTo(false);
    table.bigInteger('created_at').notNullable();
    table.bigInteger('started_at');
    table.bigInteger('finished_at');
    table.index(['entity_ref', 'created_at'], 'runbook_runs_entity_idx');
    table.index(['status'], 'runbook_runs_status_idx');
  });

  await knex.schema.createTable('runbook_run_log', table => {
    table.bigIncrements('seq').primary();
    table
      .string('run_id', 36)
      .notNullable()
      .references('id')
      .inTable('runbook_runs')
      .onDelete('CASCADE');
    table.bigInteger('at').notNullable();
    table.string('level', 8).notNullable();
    table.text('message').notNullable();
    table.index(['run_id', 'seq'], 'runbook_run_log_run_idx');
  });

  await knex.schema.createTable('runbook_locks', table => {
    table.string('entity_ref', 255).primary();
    table.string('run_id', 36).notNullable();
    table.string('owner', 64).notNullable();
    table.bigInteger('expires_at').notNullable();
  });

  await knex.schema.createTable('runbook_idempotency', table => {
    table.string('actor', 255).notNullable();
    table.string('key', 255).notNullable();
    table.string('request_hash', 64).notNullable();
    table.string('run_id', 36).notNullable();
    table.bigInteger('created_at').notNullable();
    table.primary(['actor', 'key']);
  });

  await knex.schema.createTable('runbook_audit', table => {
    table.bigInteger('seq').primary();
    table.string('at', 32).notNullable();
    table.string('event', 16).notNullable();
    table.string('actor', 255).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('action', 64).notNullable();
    table.string('run_id', 36);
    table.text('outcome').notNullable();
    table.text('params').notNullable();
    table.text('summary').notNullable();
    table.integer('duration_ms');
    table.string('prev_hash', 64).notNullable();
    table.string('hash', 64).notNullable();
    table.index(['entity_ref'], 'runbook_audit_entity_idx');
    table.index(['actor'], 'runbook_audit_actor_idx');
  });

  await knex.schema.createTable('runbook_audit_anchors', table => {
    table.bigInteger('seq').primary();
    table.string('hash', 64).notNullable();
    table.string('at', 32).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('runbook_audit_anchors');
  await knex.schema.dropTable('runbook_audit');
  await knex.schema.dropTable('runbook_idempotency');
  await knex.schema.dropTable('runbook_locks');
  await knex.schema.dropTable('runbook_run_log');
  await knex.schema.dropTable('runbook_runs');
};
