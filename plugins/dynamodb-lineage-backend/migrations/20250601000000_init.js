// @ts-check

/*
 * Stored results of the health refresh. Payloads are the JSON of the shared
 * types (TrailHealth, AccountRegionStatus, TeamStatus) so the API returns them
 * unchanged; the columns beside them exist for lookups and pruning. A trail's
 * description and selectors are kept to judge a single table's coverage and to
 * find its logs; an account-region keeps every trail that reaches it. Times
 * are ISO-8601 strings in UTC, which sort correctly as text on every database.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dynamodb_lineage_trail_health', table => {
    table.comment('Latest health of each trail');
    table.string('trail_arn', 512).primary().notNullable();
    table.string('account_id', 12).notNullable();
    table.string('home_region', 32).notNullable();
    table.string('status', 16).notNullable();
    table.string('checked_at', 32).notNullable();
    table.text('health').notNullable();
    table.text('description').notNullable();
    table.text('selectors').nullable();
    table.index(['account_id'], 'dynamodb_lineage_trail_health_account_idx');
  });

  await knex.schema.createTable('dynamodb_lineage_trail_history', table => {
    table.comment('Bounded history of each trail status, newest last');
    table.bigIncrements('id').primary();
    table.string('trail_arn', 512).notNullable();
    table.string('checked_at', 32).notNullable();
    table.string('status', 16).notNullable();
    table.double('delivery_age_minutes').nullable();
    table.index(
      ['trail_arn', 'id'],
      'dynamodb_lineage_trail_history_trail_idx',
    );
  });

  await knex.schema.createTable('dynamodb_lineage_account_region', table => {
    table.comment('Latest status of each account and region');
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('status', 16).notNullable();
    table.string('checked_at', 32).notNullable();
    table.text('payload').notNullable();
    table.text('trails').notNullable();
    table.primary(['account_id', 'region']);
  });

  await knex.schema.createTable('dynamodb_lineage_team', table => {
    table.comment('Snapshot of every team status, replaced by each refresh');
    table.string('entity_ref', 255).primary().notNullable();
    table.string('status', 16).notNullable();
    table.string('refreshed_at', 32).notNullable();
    table.text('summary').notNullable();
    table.text('payload').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dynamodb_lineage_team');
  await knex.schema.dropTable('dynamodb_lineage_account_region');
  await knex.schema.dropTable('dynamodb_lineage_trail_history');
  await knex.schema.dropTable('dynamodb_lineage_trail_health');
};
