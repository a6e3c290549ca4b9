// @ts-check

/*
 * Event ids kept for de-duplication become two integers: the event's time in
 * epoch milliseconds and a 53-bit hash of its id, keyed in that order. An
 * integer key is a fraction of the strings' size to store, compare and index.
 * Two different ids are only confused when they share the millisecond and the
 * hash (odds about 2^-53 per such pair). The ids kept until now are dropped;
 * they only guarded the last two days.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.dropTable('dynamodb_lineage_seen_event');
  await knex.schema.createTable('dynamodb_lineage_seen_event', table => {
    table.comment('Event ids already counted, kept for a bounded horizon');
    table.bigInteger('event_time').notNullable();
    table.bigInteger('event_hash').notNullable();
    table.primary(['event_time', 'event_hash']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dynamodb_lineage_seen_event');
  await knex.schema.createTable('dynamodb_lineage_seen_event', table => {
    table.comment('Event ids already counted, kept for a bounded horizon');
    table.string('event_time', 32).notNullable();
    table.string('event_id', 128).notNullable();
    table.primary(['event_time', 'event_id']);
  });
};
