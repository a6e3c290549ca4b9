/*
 * The one input rule the common package does not have: a table scope prefix,
 * accepted as the node library's spec accepts it (a table-name prefix such as
 * `orders-`, or a table ARN prefix).
 */
const TABLE_NAME_PREFIX = /^[A-Za-z0-9_.-]{1,255}$/;
const TABLE_ARN_PREFIX =
  /^arn:aws(?:-[a-z]+)*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]*$/;

export function isValidTablePrefix(value: string): boolean {
  return value.startsWith('arn:')
    ? TABLE_ARN_PREFIX.test(value)
    : TABLE_NAME_PREFIX.test(value);
}
