import { AwsError } from '../../errors';
import type { CallContext } from '../types';
import {
  type Input,
  type Output,
  consumed,
  consumedPerTable,
  findTable,
} from './context';
import { validation } from './expressions';
import {
  type Table,
  allItems,
  checkItemKey,
  hashKeyName,
  keyNames,
  partitionItems,
  readItem,
  removeItem,
  writeItem,
} from './tables';
import {
  type AttributeValue,
  type Item,
  clone,
  compareScalars,
  isValidAttributeValue,
  valuesEqual,
} from './values';

/**
 * The PartiQL subset DynamoDB applications use: single-table SELECT, INSERT,
 * UPDATE and DELETE with `?` parameters, equality/comparison/begins_with
 * conditions joined by AND.
 */

type Token = {
  type: 'string' | 'qident' | 'ident' | 'number' | 'param' | 'punct';
  text: string;
  start: number;
  end: number;
};

function lex(statement: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s+|('(?:[^']|'')*')|("(?:[^"]|"")*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(\?)|(<<|>>|<>|!=|<=|>=|[{}[\](),.:=<>*+-])|([A-Za-z_][A-Za-z0-9_]*)/y;
  let position = 0;
  while (position < statement.length) {
    pattern.lastIndex = position;
    const match = pattern.exec(statement);
    if (!match) {
      throw validation(
        `Statement wasn't well formed, can't be processed: unexpected character at ${position}`,
      );
    }
    const [text, string, qident, number, param, punct, ident] = match;
    const start = position;
    position = pattern.lastIndex;
    let type: Token['type'] | undefined;
    if (string) type = 'string';
    else if (qident) type = 'qident';
    else if (number) type = 'number';
    else if (param) type = 'param';
    else if (punct) type = 'punct';
    else if (ident) type = 'ident';
    if (type) tokens.push({ type, text, start, end: position });
  }
  return tokens;
}

type ValueNode = (params: AttributeValue[]) => AttributeValue;
type Comparison = { attribute: string; op: string; values: ValueNode[] };

export interface ParsedStatement {
  kind: 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  table: string;
  index?: string;
  projection?: string[];
  where: Comparison[];
  item?: ValueNode;
  set: Array<{ attribute: string; value: ValueNode }>;
  remove: string[];
  parameterCount: number;
}

const malformed = (detail: string) =>
  validation(`Statement wasn't well formed, can't be processed: ${detail}`);

class StatementParser {
  private position = 0;
  parameterCount = 0;

  constructor(private readonly tokens: Token[]) {}

  get done() {
    return this.position >= this.tokens.length;
  }

  peek(): Token | undefined {
    return this.tokens[this.position];
  }

  next(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw malformed('unexpected end of statement');
    return token;
  }

  keyword(word: string): boolean {
    const token = this.peek();
    if (token?.type === 'ident' && token.text.toUpperCase() === word) {
      this.position++;
      return true;
    }
    return false;
  }

  expectKeyword(word: string): void {
    if (!this.keyword(word)) throw malformed(`expected ${word}`);
  }

  punct(text: string): boolean {
    const token = this.peek();
    if (token?.type === 'punct' && token.text === text) {
      this.position++;
      return true;
    }
    return false;
  }

  expectPunct(text: string): void {
    if (!this.punct(text)) throw malformed(`expected ${text}`);
  }

  name(): string {
    const token = this.next();
    if (token.type === 'qident')
      return token.text.slice(1, -1).replace(/""/g, '"');
    if (token.type === 'ident') return token.text;
    throw malformed(`unexpected ${token.text}`);
  }

  value(): ValueNode {
    const token = this.next();
    switch (token.type) {
      case 'param': {
        const index = this.parameterCount++;
        return params => {
          if (params[index] === undefined) {
            throw validation(
              "Number of parameters in request and statement don't match.",
            );
          }
          return params[index];
        };
      }
      case 'string': {
        const value = token.text.slice(1, -1).replace(/''/g, "'");
        return () => ({ S: value });
      }
      case 'number':
        return () => ({ N: token.text });
      case 'ident': {
        const upper = token.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') {
          return () => ({ BOOL: upper === 'TRUE' });
        }
        if (upper === 'NULL') return () => ({ NULL: true });
        throw malformed(`unexpected ${token.text}`);
      }
      default:
        break;
    }
    if (token.text === '{') {
      const entries: Array<[string, ValueNode]> = [];
      if (!this.punct('}')) {
        do {
          const keyToken = this.next();
          if (keyToken.type !== 'string')
            throw malformed('map keys must be quoted strings');
          this.expectPunct(':');
          entries.push([
            keyToken.text.slice(1, -1).replace(/''/g, "'"),
            this.value(),
          ]);
        } while (this.punct(','));
        this.expectPunct('}');
      }
      return params => ({
        M: Object.fromEntries(entries.map(([k, v]) => [k, v(params)])),
      });
    }
    if (token.text === '[') {
      const elements: ValueNode[] = [];
      if (!this.punct(']')) {
        do elements.push(this.value());
        while (this.punct(','));
        this.expectPunct(']');
      }
      return params => ({ L: elements.map(e => e(params)) });
    }
    if (token.text === '<<') {
      const elements: ValueNode[] = [];
      do elements.push(this.value());
      while (this.punct(','));
      this.expectPunct('>>');
      return params => {
        const values = elements.map(e => e(params));
        if (values.every(v => v.S !== undefined))
          return { SS: values.map(v => v.S!) };
        if (values.every(v => v.N !== undefined))
          return { NS: values.map(v => v.N!) };
        throw validation('Set elements must all be strings or all numbers');
      };
    }
    throw malformed(`unexpected ${token.text}`);
  }

  where(): Comparison[] {
    if (!this.keyword('WHERE')) return [];
    const comparisons: Comparison[] = [];
    do {
      if (this.keyword('BEGINS_WITH')) {
        this.expectPunct('(');
        const attribute = this.name();
        this.expectPunct(',');
        const value = this.value();
        this.expectPunct(')');
        comparisons.push({ attribute, op: 'begins_with', values: [value] });
        continue;
      }
      const attribute = this.name();
      if (this.keyword('BETWEEN')) {
        const low = this.value();
        this.expectKeyword('AND');
        comparisons.push({
          attribute,
          op: 'between',
          values: [low, this.value()],
        });
        continue;
      }
      const op = this.next();
      if (!['=', '<>', '!=', '<', '<=', '>', '>='].includes(op.text)) {
        throw malformed(`unsupported operator ${op.text}`);
      }
      comparisons.push({
        attribute,
        op: op.text === '!=' ? '<>' : op.text,
        values: [this.value()],
      });
    } while (this.keyword('AND'));
    return comparisons;
  }
}

export function parseStatement(text: unknown): ParsedStatement {
  if (typeof text !== 'string' || text.trim() === '') {
    throw validation(
      "1 validation error detected: Value at 'statement' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  const parser = new StatementParser(lex(text));
  const head = parser.next().text.toUpperCase();
  const parsed: ParsedStatement = {
    kind: 'SELECT',
    table: '',
    where: [],
    set: [],
    remove: [],
    parameterCount: 0,
  };
  if (head === 'SELECT') {
    if (parser.punct('*')) parsed.projection = undefined;
    else {
      parsed.projection = [];
      do parsed.projection.push(parser.name());
      while (parser.punct(','));
    }
    parser.expectKeyword('FROM');
    parsed.table = parser.name();
    if (parser.punct('.')) parsed.index = parser.name();
    parsed.where = parser.where();
  } else if (head === 'INSERT') {
    parsed.kind = 'INSERT';
    parser.expectKeyword('INTO');
    parsed.table = parser.name();
    parser.expectKeyword('VALUE');
    parsed.item = parser.value();
  } else if (head === 'UPDATE') {
    parsed.kind = 'UPDATE';
    parsed.table = parser.name();
    for (;;) {
      if (parser.keyword('SET')) {
        do {
          const attribute = parser.name();
          parser.expectPunct('=');
          parsed.set.push({ attribute, value: parser.value() });
        } while (parser.punct(','));
      } else if (parser.keyword('REMOVE')) {
        do parsed.remove.push(parser.name());
        while (parser.punct(','));
      } else break;
    }
    if (parsed.set.length === 0 && parsed.remove.length === 0)
      throw malformed('UPDATE needs SET or REMOVE');
    parsed.where = parser.where();
  } else if (head === 'DELETE') {
    parsed.kind = 'DELETE';
    parser.expectKeyword('FROM');
    parsed.table = parser.name();
    parsed.where = parser.where();
  } else {
    throw malformed(`unsupported statement ${head}`);
  }
  if (!parser.done) throw malformed(`unexpected ${parser.peek()!.text}`);
  parsed.parameterCount = parser.parameterCount;
  return parsed;
}

/** What CloudTrail logs of a statement: literals redacted, except key values in WHERE. */
export function redactStatement(text: string, keyAttributes: string[]): string {
  let tokens: Token[];
  try {
    tokens = lex(text);
  } catch {
    return '***(Redacted)';
  }
  let out = '';
  let cursor = 0;
  let inWhere = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'ident' && token.text.toUpperCase() === 'WHERE')
      inWhere = true;
    const literal =
      token.type === 'string' ||
      token.type === 'number' ||
      (token.type === 'ident' &&
        ['TRUE', 'FALSE'].includes(token.text.toUpperCase()));
    // Map keys ('name': value) are attribute names, not values.
    if (!literal || tokens[i + 1]?.text === ':') continue;
    const attribute = tokens[i - 2];
    const name =
      attribute?.type === 'qident'
        ? attribute.text.slice(1, -1)
        : attribute?.text;
    const keptKey =
      inWhere &&
      tokens[i - 1]?.text === '=' &&
      name !== undefined &&
      keyAttributes.includes(name);
    if (keptKey) continue;
    out += `${text.slice(cursor, token.start)}***(Redacted)`;
    cursor = token.end;
  }
  return out + text.slice(cursor);
}

// ----------------------------------------------------------------- execution

function parametersOf(input: Input): AttributeValue[] {
  const params = input.Parameters ?? [];
  if (!Array.isArray(params) || !params.every(isValidAttributeValue)) {
    throw validation('Parameters must be a list of attribute values');
  }
  return params;
}

function matches(
  item: Item,
  where: Comparison[],
  params: AttributeValue[],
): boolean {
  return where.every(({ attribute, op, values }) => {
    const actual = item[attribute];
    const [first, second] = values.map(v => v(params));
    if (!actual) return op === '<>';
    switch (op) {
      case '=':
        return valuesEqual(actual, first);
      case '<>':
        return !valuesEqual(actual, first);
      case 'begins_with':
        return (
          actual.S !== undefined &&
          first.S !== undefined &&
          actual.S.startsWith(first.S)
        );
      case 'between': {
        const low = compareScalars(actual, first);
        const high = compareScalars(actual, second);
        return low !== undefined && high !== undefined && low >= 0 && high <= 0;
      }
      default: {
        const order = compareScalars(actual, first);
        if (order === undefined) return false;
        const holds: Record<string, boolean> = {
          '<': order < 0,
          '<=': order <= 0,
          '>': order > 0,
          '>=': order >= 0,
        };
        return holds[op];
      }
    }
  });
}

/** The full primary key from WHERE equalities; DynamoDB requires it for writes. */
function keyFromWhere(
  table: Table,
  where: Comparison[],
  params: AttributeValue[],
): Item {
  const key: Item = {};
  for (const name of keyNames(table)) {
    const equality = where.find(c => c.attribute === name && c.op === '=');
    if (!equality) {
      throw validation(
        'Where clause does not contain a mandatory equality on all key attributes',
      );
    }
    key[name] = equality.values[0](params);
  }
  return key;
}

interface Prepared {
  table: Table;
  check: () => void;
  apply: () => Item[] | undefined;
}

/** Validates a statement against the current data; `check` throws what execution would. */
export function prepareStatement(ctx: CallContext, input: Input): Prepared {
  const statement = parseStatement(input.Statement);
  const params = parametersOf(input);
  if (params.length !== statement.parameterCount) {
    throw validation(
      "Number of parameters in request and statement don't match.",
    );
  }
  const table = findTable(ctx, statement.table);
  switch (statement.kind) {
    case 'SELECT': {
      return {
        table,
        check: () => undefined,
        apply: () => {
          const hash = statement.where.find(
            c => c.attribute === hashKeyName(table) && c.op === '=',
          );
          const candidates =
            hash && !statement.index
              ? partitionItems(table, hash.values[0](params))
              : [...allItems(table)];
          return candidates
            .filter(item => matches(item, statement.where, params))
            .map(item =>
              statement.projection
                ? Object.fromEntries(
                    statement.projection
                      .filter(a => item[a])
                      .map(a => [a, item[a]]),
                  )
                : item,
            );
        },
      };
    }
    case 'INSERT': {
      const value = statement.item!(params);
      if (!value.M) throw validation('INSERT VALUE must be a map');
      const item = value.M;
      checkItemKey(table, item);
      return {
        table,
        check: () => {
          if (readItem(table, item)) {
            throw new AwsError(
              'DuplicateItemException',
              'Duplicate primary key exists in table',
            );
          }
        },
        apply: () => {
          writeItem(table, clone(item));
          return undefined;
        },
      };
    }
    case 'UPDATE': {
      const key = keyFromWhere(table, statement.where, params);
      const keys = keyNames(table);
      for (const attribute of [
        ...statement.set.map(s => s.attribute),
        ...statement.remove,
      ]) {
        if (keys.includes(attribute)) {
          throw validation(
            `Cannot update attribute ${attribute}. This attribute is part of the key`,
          );
        }
      }
      const check = () => {
        const current = readItem(table, key);
        if (!current || !matches(current, statement.where, params)) {
          throw new AwsError(
            'ConditionalCheckFailedException',
            'The conditional request failed',
          );
        }
      };
      return {
        table,
        check,
        apply: () => {
          const item = clone(readItem(table, key)!);
          for (const { attribute, value } of statement.set)
            item[attribute] = value(params);
          for (const attribute of statement.remove) delete item[attribute];
          writeItem(table, item);
          return undefined;
        },
      };
    }
    default: {
      const key = keyFromWhere(table, statement.where, params);
      return {
        table,
        check: () => {
          const current = readItem(table, key);
          if (current && !matches(current, statement.where, params)) {
            throw new AwsError(
              'ConditionalCheckFailedException',
              'The conditional request failed',
            );
          }
        },
        apply: () => {
          removeItem(table, key);
          return undefined;
        },
      };
    }
  }
}

export function executeStatement(input: Input, ctx: CallContext): Output {
  const prepared = prepareStatement(ctx, input);
  prepared.check();
  const items = prepared.apply();
  if (!items) return consumed(input, prepared.table, 1);
  const limit = input.Limit;
  let start = 0;
  if (typeof input.NextToken === 'string') {
    start = Number(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0)
      throw validation('Invalid NextToken');
  }
  const end = limit ? start + limit : items.length;
  return {
    Items: items.slice(start, end),
    ...(end < items.length
      ? { NextToken: Buffer.from(String(end)).toString('base64url') }
      : {}),
    ...consumed(input, prepared.table, Math.max(0.5, (end - start) / 2)),
  };
}

const BATCH_ERROR_CODES: Record<string, string> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  DuplicateItemException: 'DuplicateItem',
  ResourceNotFoundException: 'ResourceNotFound',
  ValidationException: 'ValidationError',
  AccessDeniedException: 'AccessDenied',
};

export function batchExecuteStatement(input: Input, ctx: CallContext): Output {
  const statements: Input[] = input.Statements ?? [];
  if (statements.length === 0 || statements.length > 25) {
    throw validation(
      'Member must have length less than or equal to 25 and greater than or equal to 1: Statements',
    );
  }
  const uses: Array<{ table: Table; units: number }> = [];
  const responses = statements.map(statement => {
    try {
      const prepared = prepareStatement(ctx, statement);
      prepared.check();
      const items = prepared.apply();
      uses.push({ table: prepared.table, units: items ? 0.5 : 1 });
      return {
        TableName: prepared.table.name,
        ...(items?.[0] ? { Item: items[0] } : {}),
      };
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return {
        Error: {
          Code: BATCH_ERROR_CODES[error.code] ?? 'InternalServerError',
          Message: error.message,
        },
      };
    }
  });
  return { Responses: responses, ...consumedPerTable(input, uses) };
}

export function executeTransaction(input: Input, ctx: CallContext): Output {
  const statements: Input[] = input.TransactStatements ?? [];
  if (statements.length === 0 || statements.length > 100) {
    throw validation(
      'Member must have length less than or equal to 100 and greater than or equal to 1: TransactStatements',
    );
  }
  const prepared = statements.map(statement =>
    prepareStatement(ctx, statement),
  );
  const reasons = prepared.map(p => {
    try {
      p.check();
      return { Code: 'None' };
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return {
        Code: error.code.replace(/Exception$/, ''),
        Message: error.message,
      };
    }
  });
  if (reasons.some(r => r.Code !== 'None')) {
    throw new AwsError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons
        .map(r => r.Code)
        .join(', ')}]`,
      400,
      { CancellationReasons: reasons },
    );
  }
  const results = prepared.map(p => p.apply());
  const capacity = consumedPerTable(
    input,
    prepared.map(p => ({ table: p.table, units: 2 })),
  );
  if (results.every(r => r !== undefined)) {
    return {
      Responses: results.map(items => (items?.[0] ? { Item: items[0] } : {})),
      ...capacity,
    };
  }
  return capacity;
}

/** Table named by a statement, without running it (for CloudTrail records). */
export function statementTable(statement: unknown): string | undefined {
  try {
    return parseStatement(statement).table;
  } catch {
    return undefined;
  }
}

export function statementKind(
  statement: unknown,
): ParsedStatement['kind'] | undefined {
  try {
    return parseStatement(statement).kind;
  } catch {
    return undefined;
  }
}
