// @ts-check

/**
 * Incidents, the entities each affects, and their timelines. Times are epoch milliseconds.
 * An open incident opened by an alert keeps the alert's fingerprint, so that Alertmanager's
 * repeats update it instead of opening another.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('runbook_incidents', table => {
    table.string('id', 36).primary();
    table.string('title', 255).notNullable();
    table.text('description');
    table.string('severity', 2).notNullable();
    table.string('status', 16).notNullable();
    table.string('commander', 255);
    table.string('reporter', 255).notNullable();
    table.string('source', 32).notNullable();
    table.string('fingerprint', 64);
    table.bigInteger('detected_at').notNullable();
    table.bigInteger('acknowledged_at');
    table.string('acknowledged_by', 255);
    table.bigInteger('responding_at');
    table.bigInteger('resolved_at');
    table.bigInteger('postmortem_at');
    table.bigInteger('respond_by').notNullable();
    table.integer('escalation_level').notNullable().defaultTo(0);
    table.text('postmortem');
    table.index(['status', 'respond_by'], 'runbook_incidents_due_idx');
    table.index(['fingerprint'], 'runbook_incidents_fingerprint_idx');
  });

  await knex.schema.createTable('runbook_incident_entities', table => {
    table
      .string('incident_id', 36)
      .notNullable()
      .references('id')
      .inTable('runbook_incidents')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.primary(['incident_id', 'entity_ref']);
    table.index(['entity_ref'], 'runbook_incident_entities_entity_idx');
  });

  await knex.schema.createTable('runbook_incident_timeline', table => {
    table.bigIncrements('seq').primary();
    table
      .string('incident_id', 36)
      .notNullable()
      .references('id')
      .inTable('runbook_incidents')
      .onDelete('CASCADE');
    table.bigInteger('at').notNullable();
    table.string('author', 255).notNullable();
    table.string('kind', 16).notNullable();
    table.text('message').notNullable();
    table.index(['incident_id', 'seq'], 'runbook_incident_timeline_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('runbook_incident_timeline');
  await knex.schema.dropTable('runbook_incident_entities');
  await knex.schema.dropTable('runbook_incidents');
};
