// @ts-check

/** What an entity's incident history and stats read, copied onto each affected-entity row. */
const COPIED = [
  'detected_at',
  'severity',
  'status',
  'acknowledged_at',
  'resolved_at',
];

/**
 * An entity's incident history and stats from its own rows: each affected-entity row
 * carries its incident's detection time (which never changes) and the severity, phase
 * and phase times the store keeps in step with the incident. The newest incidents of an
 * entity are then the first entries of (entity_ref, detected_at DESC), and its stats
 * read its rows instead of joining every incident.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runbook_incident_entities', table => {
    table.bigInteger('detected_at');
    table.string('severity', 2);
    table.string('status', 16);
    table.bigInteger('acknowledged_at');
    table.bigInteger('resolved_at');
  });
  await knex('runbook_incident_entities').update(
    Object.fromEntries(
      COPIED.map(column => [
        column,
        knex('runbook_incidents')
          .select(column)
          .where('id', knex.ref('runbook_incident_entities.incident_id')),
      ]),
    ),
  );
  await knex.raw(
    'CREATE INDEX runbook_incident_entities_history_idx ON runbook_incident_entities (entity_ref, detected_at DESC, incident_id)',
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runbook_incident_entities', table => {
    table.dropIndex([], 'runbook_incident_entities_history_idx');
    for (const column of COPIED) table.dropColumn(column);
  });
};
