// @ts-check

/*
 * Event ids kept for de-duplication are keyed by (event_time, event_id): a
 * call delivered twice carries the same time and id, pruning by time walks
 * the key's prefix, and one index is kept up instead of two. The ids kept
 * until now are dropped; they only guarded the last two days.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.dropTable('dynamodb_lineage_seen_event');
  await knex.schema.createTable('dynamodb_lineage_seen_event', table => {
    table.comment('Event ids already counted, kept for a bounded horizon');
    table.string('event_time', 32).notNullable();
    table.string('event_id', 128).notNullable();
    table.primary(['event_time', 'event_id']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dynamodb_lineage_seen_event');
  await knex.schema.createTable('dynamodb_lineage_seen_event', table => {
    table.comment('Event ids already counted, kept for a bounded horizon');
    table.string('event_id', 128).primary().notNullable();
    table.string('event_time', 32).notNullable();
    table.index(['event_time'], 'dynamodb_lineage_seen_event_time_idx');
  });
};
