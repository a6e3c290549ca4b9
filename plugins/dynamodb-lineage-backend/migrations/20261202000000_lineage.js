// @ts-check

/*
 * The lineage store: DynamoDB data events of the delivered CloudTrail logs,
 * aggregated into one row per table, principal, operation and UTC day.
 * Ingestion reads each trail's logs incrementally, one cursor per trail,
 * account and region (the key the listing resumes after, and the delivery
 * times that tell the lag). Event ids are kept for a bounded horizon so that a
 * call delivered twice, in overlapping files or by two trails, counts once;
 * edges, seen ids and cursors of one ingested batch commit together, so a
 * batch read again after a crash is either not yet counted or already known.
 * Times are ISO-8601 strings in UTC, days YYYY-MM-DD.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dynamodb_lineage_edge', table => {
    table.comment('Daily DynamoDB calls per table, principal and operation');
    table.string('table_arn', 512).notNullable();
    table.string('principal', 1024).notNullable();
    table.string('operation', 64).notNullable();
    table.string('day', 10).notNullable();
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('principal_type', 64).notNullable();
    table.string('principal_account_id', 12).nullable();
    table.string('kind', 8).notNullable();
    table.integer('calls').notNullable();
    table.integer('errors').notNullable();
    table.string('first_seen', 32).notNullable();
    table.string('last_seen', 32).notNullable();
    table.primary(['table_arn', 'principal', 'operation', 'day']);
    table.index(['day'], 'dynamodb_lineage_edge_day_idx');
    table.index(['principal', 'day'], 'dynamodb_lineage_edge_principal_idx');
  });

  await knex.schema.createTable('dynamodb_lineage_ingest_cursor', table => {
    table.comment('How far ingestion read each trail, account and region');
    table.string('trail_arn', 512).notNullable();
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.text('after_key').nullable();
    table.string('ingested_through', 32).nullable();
    table.string('newest_delivered', 32).nullable();
    table.string('updated_at', 32).notNullable();
    table.primary(['trail_arn', 'account_id', 'region']);
  });

  await knex.schema.createTable('dynamodb_lineage_seen_event', table => {
    table.comment('Event ids already counted, kept for a bounded horizon');
    table.string('event_id', 128).primary().notNullable();
    table.string('event_time', 32).notNullable();
    table.index(['event_time'], 'dynamodb_lineage_seen_event_time_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dynamodb_lineage_seen_event');
  await knex.schema.dropTable('dynamodb_lineage_ingest_cursor');
  await knex.schema.dropTable('dynamodb_lineage_edge');
};
