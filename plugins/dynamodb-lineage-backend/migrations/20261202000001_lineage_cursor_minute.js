// @ts-check

/*
 * CloudTrail names log files by the minute they were delivered and a random
 * suffix, so a file can land after one of the same minute that sorts after
 * it. A cursor therefore resumes at the start of its last minute and keeps
 * the keys of that minute it has already read.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dynamodb_lineage_ingest_cursor', table => {
    table.text('minute_keys').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dynamodb_lineage_ingest_cursor', table => {
    table.dropColumn('minute_keys');
  });
};
