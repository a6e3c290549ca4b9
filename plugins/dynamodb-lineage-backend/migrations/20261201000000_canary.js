// @ts-check

/*
 * Canary calls: each refresh reads one item from the canary table of every
 * covered account-region and keeps the request id AWS answered; a call is
 * found in a trail's delivered logs by that id. Arrivals are per trail, since
 * each trail covering the account-region captures the call on its own. Rows
 * are pruned after about two days.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dynamodb_lineage_canary_call', table => {
    table.comment('Canary GetItem calls made by the refresh');
    table.string('request_id', 128).primary().notNullable();
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('called_at', 32).notNullable();
    table.index(
      ['account_id', 'region', 'called_at'],
      'dynamodb_lineage_canary_call_region_idx',
    );
    table.index(['called_at'], 'dynamodb_lineage_canary_call_time_idx');
  });

  await knex.schema.createTable('dynamodb_lineage_canary_arrival', table => {
    table.comment('Canary calls found in the delivered logs of a trail');
    table.string('request_id', 128).notNullable();
    table.string('trail_arn', 512).notNullable();
    table.string('event_time', 32).notNullable();
    table.string('delivered_at', 32).notNullable();
    table.primary(['request_id', 'trail_arn']);
    table.index(['event_time'], 'dynamodb_lineage_canary_arrival_time_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dynamodb_lineage_canary_arrival');
  await knex.schema.dropTable('dynamodb_lineage_canary_call');
};
