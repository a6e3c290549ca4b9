/*
 * The Hive DDL Athena runs against the Glue Data Catalog: CREATE DATABASE,
 * CREATE EXTERNAL TABLE (with PARTITIONED BY, ROW FORMAT SERDE, STORED AS,
 * LOCATION and TBLPROPERTIES) and DROP TABLE. Anything else is not DDL here.
 */

import type { GlueColumn } from '../glue/catalog';

export class DdlError extends Error {}

export type DdlStatement =
  | {
      kind: 'createDatabase';
      name: string;
      ifNotExists: boolean;
      comment?: string;
    }
  | {
      kind: 'createTable';
      database?: string;
      name: string;
      ifNotExists: boolean;
      columns: GlueColumn[];
      partitionKeys: GlueColumn[];
      comment?: string;
      serde?: string;
      serdeProperties: Record<string, string>;
      inputFormat?: string;
      outputFormat?: string;
      location?: string;
      properties: Record<string, string>;
    }
  | { kind: 'dropTable'; database?: string; name: string; ifExists: boolean };

/** A scanner over the statement: identifiers, quoted strings, punctuation. */
class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  private skipSpace() {
    for (;;) {
      const rest = this.text.slice(this.pos);
      const space = /^(\s+|--[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
      if (!space) return;
      this.pos += space[0].length;
    }
  }

  atEnd(): boolean {
    this.skipSpace();
    return (
      this.pos >= this.text.length || this.text.slice(this.pos).trim() === ';'
    );
  }

  /** Consumes the keywords if they come next (case-insensitive). */
  accept(...words: string[]): boolean {
    const start = this.pos;
    for (const word of words) {
      this.skipSpace();
      const rest = this.text.slice(this.pos);
      const match = new RegExp(`^${word}(?![A-Za-z0-9_])`, 'i').exec(rest);
      if (!match) {
        this.pos = start;
        return false;
      }
      this.pos += match[0].length;
    }
    return true;
  }

  expect(...words: string[]) {
    if (!this.accept(...words)) {
      throw new DdlError(
        `line 1:${
          this.pos + 1
        }: mismatched input '${this.peekWord()}'. Expecting: ${words.join(
          ' ',
        )}`,
      );
    }
  }

  acceptPunct(char: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] === char) {
      this.pos++;
      return true;
    }
    return false;
  }

  expectPunct(char: string) {
    if (!this.acceptPunct(char)) {
      throw new DdlError(
        `line 1:${
          this.pos + 1
        }: mismatched input '${this.peekWord()}'. Expecting: '${char}'`,
      );
    }
  }

  peekWord(): string {
    this.skipSpace();
    return /^\S*/.exec(this.text.slice(this.pos))?.[0] ?? '';
  }

  /** A name, bare or in backticks or double quotes. */
  identifier(): string {
    this.skipSpace();
    const rest = this.text.slice(this.pos);
    const match =
      /^`([^`]+)`/.exec(rest) ??
      /^"([^"]+)"/.exec(rest) ??
      /^([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (!match) {
      throw new DdlError(
        `line 1:${this.pos + 1}: expected a name, got '${this.peekWord()}'`,
      );
    }
    this.pos += match[0].length;
    return match[1];
  }

  /** A single-quoted string ('' escapes a quote). */
  string(): string {
    this.skipSpace();
    const rest = this.text.slice(this.pos);
    const match = /^'((?:[^']|'')*)'/.exec(rest);
    if (!match) {
      throw new DdlError(
        `line 1:${
          this.pos + 1
        }: expected a quoted string, got '${this.peekWord()}'`,
      );
    }
    this.pos += match[0].length;
    return match[1].replace(/''/g, "'");
  }

  /** A Hive type: everything up to the next top-level `,` or `)` or COMMENT. */
  type(): string {
    this.skipSpace();
    let depth = 0;
    const start = this.pos;
    while (this.pos < this.text.length) {
      const char = this.text[this.pos];
      if (char === '<' || char === '(') depth++;
      else if (char === '>' || (char === ')' && depth > 0)) depth--;
      else if (depth === 0 && (char === ',' || char === ')')) break;
      else if (
        depth === 0 &&
        /\s/.test(char) &&
        /^\s+COMMENT\b/i.test(this.text.slice(this.pos))
      ) {
        break;
      }
      this.pos++;
    }
    const type = this.text.slice(start, this.pos).replace(/\s+/g, '');
    if (!type) throw new DdlError(`line 1:${start + 1}: expected a type`);
    return type.toLowerCase();
  }

  qualifiedName(): { database?: string; name: string } {
    const first = this.identifier();
    if (this.acceptPunct('.'))
      return { database: first, name: this.identifier() };
    return { name: first };
  }

  columns(): GlueColumn[] {
    this.expectPunct('(');
    const out: GlueColumn[] = [];
    do {
      const name = this.identifier().toLowerCase();
      const type = this.type();
      const comment = this.accept('COMMENT') ? this.string() : undefined;
      out.push({
        Name: name,
        Type: type,
        ...(comment ? { Comment: comment } : {}),
      });
    } while (this.acceptPunct(','));
    this.expectPunct(')');
    return out;
  }

  properties(): Record<string, string> {
    this.expectPunct('(');
    const out: Record<string, string> = {};
    if (this.acceptPunct(')')) return out;
    do {
      const key = this.string();
      this.expectPunct('=');
      out[key] = this.string();
    } while (this.acceptPunct(','));
    this.expectPunct(')');
    return out;
  }
}

/** Whether the statement is DDL the catalog runs (as opposed to a query). */
export function isDdl(sql: string): boolean {
  return /^\s*(CREATE|DROP)\b/i.test(sql.replace(/^\s*(--[^\n]*\n\s*)*/, ''));
}

export function parseDdl(sql: string): DdlStatement {
  const s = new Scanner(sql);
  let statement: DdlStatement;
  if (s.accept('CREATE', 'DATABASE') || s.accept('CREATE', 'SCHEMA')) {
    const ifNotExists = s.accept('IF', 'NOT', 'EXISTS');
    const name = s.identifier();
    const comment = s.accept('COMMENT') ? s.string() : undefined;
    statement = { kind: 'createDatabase', name, ifNotExists, comment };
  } else if (s.accept('CREATE', 'EXTERNAL', 'TABLE')) {
    const ifNotExists = s.accept('IF', 'NOT', 'EXISTS');
    const { database, name } = s.qualifiedName();
    const columns = s.columns();
    const table: Extract<DdlStatement, { kind: 'createTable' }> = {
      kind: 'createTable',
      database,
      name,
      ifNotExists,
      columns,
      partitionKeys: [],
      serdeProperties: {},
      properties: {},
    };
    for (;;) {
      if (s.accept('COMMENT')) table.comment = s.string();
      else if (s.accept('PARTITIONED', 'BY')) table.partitionKeys = s.columns();
      else if (s.accept('ROW', 'FORMAT', 'SERDE')) {
        table.serde = s.string();
        if (s.accept('WITH', 'SERDEPROPERTIES')) {
          table.serdeProperties = s.properties();
        }
      } else if (s.accept('STORED', 'AS', 'INPUTFORMAT')) {
        table.inputFormat = s.string();
        s.expect('OUTPUTFORMAT');
        table.outputFormat = s.string();
      } else if (s.accept('LOCATION')) table.location = s.string();
      else if (s.accept('TBLPROPERTIES')) table.properties = s.properties();
      else break;
    }
    statement = table;
  } else if (s.accept('DROP', 'TABLE')) {
    const ifExists = s.accept('IF', 'EXISTS');
    const { database, name } = s.qualifiedName();
    statement = { kind: 'dropTable', database, name, ifExists };
  } else {
    throw new DdlError(
      `line 1:1: the emulator runs CREATE DATABASE, CREATE EXTERNAL TABLE and DROP TABLE, got '${s.peekWord()}'`,
    );
  }
  if (!s.atEnd()) {
    throw new DdlError(`line 1: extraneous input '${s.peekWord()}'`);
  }
  return statement;
}
