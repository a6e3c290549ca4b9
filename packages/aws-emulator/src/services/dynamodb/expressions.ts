import { AwsError } from '../../errors';
import {
  type AttributeValue,
  type Item,
  clone,
  compareScalars,
  typeOf,
  valuesEqual,
} from './values';

/**
 * DynamoDB condition, update, key-condition and projection expressions:
 * a tokenizer, a recursive-descent parser and an evaluator over wire-form
 * items. Substitutions (`#name`, `:value`) are resolved while parsing and the
 * ones used are recorded, so unused or undefined substitutions are refused the
 * way DynamoDB refuses them.
 */

export type PathElement = string | number;
export type Path = PathElement[];

type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; path: Path };

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; op: string; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'in'; subject: Operand; options: Operand[] }
  | { kind: 'function'; name: string; path: Path; argument?: Operand };

type SetValue =
  | Operand
  | { kind: 'arith'; op: '+' | '-'; left: SetValue; right: SetValue }
  | { kind: 'if_not_exists'; path: Path; fallback: SetValue }
  | { kind: 'list_append'; left: SetValue; right: SetValue };

export interface UpdateActions {
  set: Array<{ path: Path; value: SetValue }>;
  remove: Path[];
  add: Array<{ path: Path; value: AttributeValue }>;
  delete: Array<{ path: Path; value: AttributeValue }>;
}

export const validation = (message: string) =>
  new AwsError('ValidationException', message);

/** Substitutions of one request, with bookkeeping of the ones used. */
export class Substitutions {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();

  constructor(
    readonly names: Record<string, string> = {},
    readonly values: Record<string, AttributeValue> = {},
  ) {}

  name(token: string): string {
    const name = this.names[token];
    if (name === undefined) {
      throw validation(
        `Invalid expression: An expression attribute name used in the document path is not defined; attribute name: ${token}`,
      );
    }
    this.usedNames.add(token);
    return name;
  }

  value(token: string): AttributeValue {
    const value = this.values[token];
    if (value === undefined) {
      throw validation(
        `Invalid expression: An expression attribute value used in expression is not defined; attribute value: ${token}`,
      );
    }
    this.usedValues.add(token);
    return value;
  }

  /** DynamoDB refuses substitutions that no expression uses. */
  assertAllUsed(): void {
    const unusedNames = Object.keys(this.names).filter(
      n => !this.usedNames.has(n),
    );
    if (unusedNames.length > 0) {
      throw validation(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(
          ', ',
        )}}`,
      );
    }
    const unusedValues = Object.keys(this.values).filter(
      v => !this.usedValues.has(v),
    );
    if (unusedValues.length > 0) {
      throw validation(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(
          ', ',
        )}}`,
      );
    }
  }
}

// A common subset of DynamoDB's reserved words (the full list has ~570).
const RESERVED = new Set(
  (
    'ABORT ACTION ADD ALL ALTER AND ANY AS ASC BETWEEN BY CASE CAST COLUMN COMMENT ' +
    'COUNT CREATE DATA DATE DAY DELETE DESC DROP EXISTS FROM GROUP HASH HOUR IN INDEX ' +
    'INSERT IS ITEM ITEMS KEY KEYS LEVEL LIMIT LOCATION MINUTE MONTH NAME NOT NULL ' +
    'NUMBER OR ORDER OWNER PATH POSITION RANGE REGION REMOVE RETURN ROLE SECOND ' +
    'SELECT SESSION SET SIZE SOURCE STATUS STRING TABLE TIME TIMESTAMP TO TOTAL ' +
    'TRANSACTION TTL TYPE UPDATE USER USAGE VALUE VALUES VIEW WHERE YEAR ZONE'
  ).split(' '),
);

type Token = {
  type: 'ident' | 'name' | 'value' | 'number' | 'punct';
  text: string;
};

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const char = expression[i];
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const rest = expression.slice(i);
    const match =
      /^#[A-Za-z0-9_]+/.exec(rest) ??
      /^:[A-Za-z0-9_]+/.exec(rest) ??
      /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest) ??
      /^\d+/.exec(rest) ??
      /^(<>|<=|>=|[()[\],.=<>+-])/.exec(rest);
    if (!match) {
      throw validation(
        `Invalid expression: Syntax error; token: "${char}", near: "${rest.slice(
          0,
          10,
        )}"`,
      );
    }
    const text = match[0];
    let type: Token['type'] = 'punct';
    if (text.startsWith('#')) type = 'name';
    else if (text.startsWith(':')) type = 'value';
    else if (/^\d/.test(text)) type = 'number';
    else if (/^[A-Za-z_]/.test(text)) type = 'ident';
    tokens.push({ type, text });
    i += text.length;
  }
  return tokens;
}

class Parser {
  private position = 0;
  private readonly tokens: Token[];

  constructor(
    private readonly expression: string,
    private readonly subs: Substitutions,
  ) {
    this.tokens = tokenize(expression);
  }

  get done(): boolean {
    return this.position >= this.tokens.length;
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.position + offset];
  }

  next(): Token {
    const token = this.tokens[this.position++];
    if (!token) throw this.syntaxError('<EOF>');
    return token;
  }

  isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.type === 'ident' && token.text.toUpperCase() === word;
  }

  isPunct(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.type === 'punct' && token.text === text;
  }

  expect(text: string): void {
    const token = this.next();
    if (token.text.toUpperCase() !== text) throw this.syntaxError(token.text);
  }

  syntaxError(near: string): AwsError {
    return validation(
      `Invalid expression: Syntax error; token: "${near}", near: "${this.expression}"`,
    );
  }

  path(): Path {
    const path: Path = [this.pathElement()];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        path.push(this.pathElement());
      } else if (this.isPunct('[')) {
        this.next();
        const index = this.next();
        if (index.type !== 'number') throw this.syntaxError(index.text);
        this.expect(']');
        path.push(Number(index.text));
      } else {
        return path;
      }
    }
  }

  private pathElement(): string {
    const token = this.next();
    if (token.type === 'name') return this.subs.name(token.text);
    if (token.type === 'ident') {
      if (RESERVED.has(token.text.toUpperCase())) {
        throw validation(
          `Invalid expression: Attribute name is a reserved keyword; reserved keyword: ${token.text}`,
        );
      }
      return token.text;
    }
    throw this.syntaxError(token.text);
  }

  operand(): Operand {
    const token = this.peek();
    if (!token) throw this.syntaxError('<EOF>');
    if (token.type === 'value') {
      this.next();
      return { kind: 'value', value: this.subs.value(token.text) };
    }
    if (
      token.type === 'ident' &&
      token.text === 'size' &&
      this.isPunct('(', 1)
    ) {
      this.next();
      this.next();
      const path = this.path();
      this.expect(')');
      return { kind: 'size', path };
    }
    return { kind: 'path', path: this.path() };
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', inner: this.negation() };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.isPunct('(')) {
      this.next();
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    const token = this.peek();
    const functions = [
      'attribute_exists',
      'attribute_not_exists',
      'attribute_type',
      'begins_with',
      'contains',
    ];
    if (
      token?.type === 'ident' &&
      functions.includes(token.text) &&
      this.isPunct('(', 1)
    ) {
      this.next();
      this.next();
      const path = this.path();
      let argument: Operand | undefined;
      if (this.isPunct(',')) {
        this.next();
        argument = this.operand();
      }
      this.expect(')');
      const needsArgument =
        !token.text.startsWith('attribute_') || token.text === 'attribute_type';
      if (needsArgument !== (argument !== undefined)) {
        throw validation(
          `Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: ${token.text}`,
        );
      }
      return { kind: 'function', name: token.text, path, argument };
    }
    const subject = this.operand();
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.operand();
      this.expect('AND');
      return { kind: 'between', subject, low, high: this.operand() };
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.expect('(');
      const options = [this.operand()];
      while (this.isPunct(',')) {
        this.next();
        options.push(this.operand());
      }
      this.expect(')');
      return { kind: 'in', subject, options };
    }
    const op = this.next();
    if (!['=', '<>', '<', '<=', '>', '>='].includes(op.text)) {
      throw this.syntaxError(op.text);
    }
    return {
      kind: 'compare',
      op: op.text,
      left: subject,
      right: this.operand(),
    };
  }

  setValue(): SetValue {
    const left = this.setOperand();
    if (this.isPunct('+') || this.isPunct('-')) {
      const op = this.next().text as '+' | '-';
      return { kind: 'arith', op, left, right: this.setOperand() };
    }
    return left;
  }

  private setOperand(): SetValue {
    const token = this.peek();
    if (token?.type === 'ident' && this.isPunct('(', 1)) {
      if (token.text === 'if_not_exists') {
        this.next();
        this.next();
        const path = this.path();
        this.expect(',');
        const fallback = this.setValue();
        this.expect(')');
        return { kind: 'if_not_exists', path, fallback };
      }
      if (token.text === 'list_append') {
        this.next();
        this.next();
        const left = this.setValue();
        this.expect(',');
        const right = this.setValue();
        this.expect(')');
        return { kind: 'list_append', left, right };
      }
    }
    return this.operand();
  }

  update(): UpdateActions {
    const actions: UpdateActions = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    while (!this.done) {
      const clause = this.next().text.toUpperCase();
      if (
        !['SET', 'REMOVE', 'ADD', 'DELETE'].includes(clause) ||
        seen.has(clause)
      ) {
        throw this.syntaxError(clause);
      }
      seen.add(clause);
      for (;;) {
        if (clause === 'SET') {
          const path = this.path();
          this.expect('=');
          actions.set.push({ path, value: this.setValue() });
        } else if (clause === 'REMOVE') {
          actions.remove.push(this.path());
        } else {
          const path = this.path();
          const value = this.operand();
          if (value.kind !== 'value') throw this.syntaxError(clause);
          actions[clause === 'ADD' ? 'add' : 'delete'].push({
            path,
            value: value.value,
          });
        }
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    return actions;
  }
}

function parseAll<T>(
  expression: string,
  subs: Substitutions,
  what: string,
  read: (parser: Parser) => T,
): T {
  if (expression.trim() === '') {
    throw validation(`Invalid ${what}: The expression can not be empty;`);
  }
  const parser = new Parser(expression, subs);
  const result = read(parser);
  if (!parser.done) throw parser.syntaxError(parser.peek()!.text);
  return result;
}

export const parseCondition = (expression: string, subs: Substitutions) =>
  parseAll(expression, subs, 'ConditionExpression', p => p.condition());

export const parseUpdate = (expression: string, subs: Substitutions) =>
  parseAll(expression, subs, 'UpdateExpression', p => p.update());

export function parseProjection(
  expression: string,
  subs: Substitutions,
): Path[] {
  return parseAll(expression, subs, 'ProjectionExpression', parser => {
    const paths = [parser.path()];
    while (parser.isPunct(',')) {
      parser.next();
      paths.push(parser.path());
    }
    return paths;
  });
}

// ---------------------------------------------------------------- evaluation

export function getPath(item: Item, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined = item[path[0] as string];
  for (const element of path.slice(1)) {
    if (!current) return undefined;
    if (typeof element === 'number') current = current.L?.[element];
    else current = current.M?.[element];
  }
  return current;
}

function resolve(item: Item, operand: Operand): AttributeValue | undefined {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path':
      return getPath(item, operand.path);
    default: {
      const value = getPath(item, operand.path);
      if (!value) return undefined;
      let size: number | undefined;
      if (value.S !== undefined) size = Buffer.byteLength(value.S);
      else if (value.B !== undefined)
        size = Buffer.from(value.B, 'base64').length;
      else if (value.L) size = value.L.length;
      else if (value.M) size = Object.keys(value.M).length;
      else size = (value.SS ?? value.NS ?? value.BS)?.length;
      return size === undefined ? undefined : { N: String(size) };
    }
  }
}

function compare(
  op: string,
  left?: AttributeValue,
  right?: AttributeValue,
): boolean {
  if (!left || !right) return op === '<>' && left !== right;
  if (op === '=') return valuesEqual(left, right);
  if (op === '<>') return !valuesEqual(left, right);
  const order = compareScalars(left, right);
  if (order === undefined) return false;
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    default:
      return order >= 0;
  }
}

export function evaluate(condition: Condition, item: Item): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluate(condition.left, item) && evaluate(condition.right, item);
    case 'or':
      return evaluate(condition.left, item) || evaluate(condition.right, item);
    case 'not':
      return !evaluate(condition.inner, item);
    case 'compare':
      return compare(
        condition.op,
        resolve(item, condition.left),
        resolve(item, condition.right),
      );
    case 'between': {
      const subject = resolve(item, condition.subject);
      return (
        compare('>=', subject, resolve(item, condition.low)) &&
        compare('<=', subject, resolve(item, condition.high))
      );
    }
    case 'in': {
      const subject = resolve(item, condition.subject);
      return condition.options.some(option =>
        compare('=', subject, resolve(item, option)),
      );
    }
    default:
      return evaluateFunction(condition, item);
  }
}

function evaluateFunction(
  condition: Extract<Condition, { kind: 'function' }>,
  item: Item,
): boolean {
  const value = getPath(item, condition.path);
  const argument = condition.argument
    ? resolve(item, condition.argument)
    : undefined;
  switch (condition.name) {
    case 'attribute_exists':
      return value !== undefined;
    case 'attribute_not_exists':
      return value === undefined;
    case 'attribute_type':
      return value !== undefined && argument?.S === typeOf(value);
    case 'begins_with':
      if (value?.S !== undefined && argument?.S !== undefined) {
        return value.S.startsWith(argument.S);
      }
      if (value?.B !== undefined && argument?.B !== undefined) {
        return Buffer.from(value.B, 'base64')
          .toString('hex')
          .startsWith(Buffer.from(argument.B, 'base64').toString('hex'));
      }
      return false;
    default: {
      if (!value || !argument) return false;
      if (value.S !== undefined && argument.S !== undefined)
        return value.S.includes(argument.S);
      if (value.SS && argument.S !== undefined)
        return value.SS.includes(argument.S);
      if (value.NS && argument.N !== undefined) {
        return value.NS.some(n => Number(n) === Number(argument.N));
      }
      if (value.BS && argument.B !== undefined)
        return value.BS.includes(argument.B);
      if (value.L)
        return value.L.some(element => valuesEqual(element, argument));
      return false;
    }
  }
}

function setPath(item: Item, path: Path, value: AttributeValue): void {
  if (path.length === 1) {
    item[path[0] as string] = value;
    return;
  }
  const parent = getPath(item, path.slice(0, -1));
  const last = path[path.length - 1];
  if (typeof last === 'number' && parent?.L) {
    if (last >= parent.L.length) parent.L.push(value);
    else parent.L[last] = value;
  } else if (typeof last === 'string' && parent?.M) {
    parent.M[last] = value;
  } else {
    throw validation(
      'The document path provided in the update expression is invalid for update',
    );
  }
}

function removePath(item: Item, path: Path): void {
  if (path.length === 1) {
    delete item[path[0] as string];
    return;
  }
  const parent = getPath(item, path.slice(0, -1));
  const last = path[path.length - 1];
  if (typeof last === 'number' && parent?.L) parent.L.splice(last, 1);
  else if (typeof last === 'string' && parent?.M) delete parent.M[last];
}

function evaluateSetValue(original: Item, value: SetValue): AttributeValue {
  switch (value.kind) {
    case 'arith': {
      const left = evaluateSetValue(original, value.left);
      const right = evaluateSetValue(original, value.right);
      if (left.N === undefined || right.N === undefined) {
        throw validation(
          'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ' +
            `${value.op}, operand type: ${
              left.N === undefined ? typeOf(left) : typeOf(right)
            }`,
        );
      }
      const result =
        value.op === '+'
          ? Number(left.N) + Number(right.N)
          : Number(left.N) - Number(right.N);
      return { N: String(result) };
    }
    case 'if_not_exists':
      return clone(
        getPath(original, value.path) ??
          evaluateSetValue(original, value.fallback),
      );
    case 'list_append': {
      const left = evaluateSetValue(original, value.left);
      const right = evaluateSetValue(original, value.right);
      if (!left.L || !right.L) {
        throw validation(
          'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append',
        );
      }
      return { L: [...clone(left.L), ...clone(right.L)] };
    }
    default: {
      const resolved = resolve(original, value);
      if (!resolved) {
        throw validation(
          'The provided expression refers to an attribute that does not exist in the item',
        );
      }
      return clone(resolved);
    }
  }
}

/** Applies an update to a copy of the item; returns it and the top-level names touched. */
export function applyUpdate(
  original: Item,
  actions: UpdateActions,
): { item: Item; touched: Set<string> } {
  const item = clone(original);
  const touched = new Set<string>();
  for (const { path, value } of actions.set) {
    setPath(item, path, evaluateSetValue(original, value));
    touched.add(path[0] as string);
  }
  for (const path of actions.remove) {
    removePath(item, path);
    touched.add(path[0] as string);
  }
  for (const { path, value } of actions.add) {
    const current = getPath(item, path);
    touched.add(path[0] as string);
    if (!current) {
      setPath(item, path, clone(value));
    } else if (current.N !== undefined && value.N !== undefined) {
      setPath(item, path, { N: String(Number(current.N) + Number(value.N)) });
    } else if (current.SS && value.SS) {
      setPath(item, path, { SS: [...new Set([...current.SS, ...value.SS])] });
    } else if (current.NS && value.NS) {
      setPath(item, path, { NS: [...new Set([...current.NS, ...value.NS])] });
    } else if (current.BS && value.BS) {
      setPath(item, path, { BS: [...new Set([...current.BS, ...value.BS])] });
    } else {
      throw validation(
        'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD',
      );
    }
  }
  for (const { path, value } of actions.delete) {
    const current = getPath(item, path);
    touched.add(path[0] as string);
    if (!current) continue;
    const type = typeOf(value);
    const remaining = ((current as any)[type] as string[] | undefined)?.filter(
      v => !((value as any)[type] as string[]).includes(v),
    );
    if (!remaining) {
      throw validation(
        'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE',
      );
    }
    if (remaining.length === 0) removePath(item, path);
    else setPath(item, path, { [type]: remaining } as AttributeValue);
  }
  return { item, touched };
}

export function project(item: Item, paths: Path[]): Item {
  const out: Item = {};
  for (const path of paths) {
    const value = getPath(item, path);
    if (value === undefined) continue;
    if (path.length === 1) {
      out[path[0] as string] = clone(value);
      continue;
    }
    // Nested projections keep the enclosing maps, dropping list positions.
    let target: Item = out;
    for (let i = 0; i < path.length - 1; i++) {
      const element = String(path[i]);
      target[element] ??= { M: {} };
      if (!target[element].M) target[element] = { M: {} };
      target = target[element].M!;
    }
    target[String(path[path.length - 1])] = clone(value);
  }
  return out;
}
