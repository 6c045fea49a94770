// @ts-check

/**
 * Security operations: the "reviewed" marks of namespaces' access, and the Trivy image
 * reports uploaded from CI (their counts and top findings, not the whole report).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('runbook_access_reviews', table => {
    table.increments('id').primary();
    table.string('cluster', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('reviewed_by', 255).notNullable();
    table.bigInteger('reviewed_at').notNullable();
    table.text('note').notNullable();
    table.string('run_id', 64);
    table.index(
      ['cluster', 'namespace', 'reviewed_at'],
      'runbook_access_reviews_ns',
    );
  });
  await knex.schema.createTable('runbook_vulnerability_uploads', table => {
    table.increments('id').primary();
    table.string('image', 512).notNullable();
    table.string('uploaded_by', 255).notNullable();
    table.bigInteger('uploaded_at').notNullable();
    table.bigInteger('scanned_at').notNullable();
    table.text('counts').notNullable();
    table.text('top').notNullable();
    table.index(
      ['image', 'uploaded_at'],
      'runbook_vulnerability_uploads_image',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('runbook_vulnerability_uploads');
  await knex.schema.dropTable('runbook_access_reviews');
};
