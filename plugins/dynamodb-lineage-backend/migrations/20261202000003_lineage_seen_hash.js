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
  if (
    knex.client.config.client === 'better-sqlite3' ||
    knex.client.config.client === 'sqlite3'
  ) {
    // One B-tree, the key itself, instead of a rowid table beside a unique index.
    await knex.raw(
      'CREATE TABLE dynamodb_lineage_seen_event (event_time bigint NOT NULL, event_hash bigint NOT NULL, PRIMARY KEY (event_time, event_hash)) WITHOUT ROWID',
    );
    return;
  }
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
