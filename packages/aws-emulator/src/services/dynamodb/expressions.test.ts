import { AwsError } from '../../errors';
import {
  Substitutions,
  applyUpdate,
  evaluate,
  parseCondition,
  parseProjection,
  parseUpdate,
  project,
} from './expressions';
import { redactStatement, parseStatement } from './partiql';
import type { Item } from './values';

const item: Item = {
  id: { S: 'p1' },
  amount: { N: '25' },
  tags: { SS: ['a', 'b'] },
  nested: { M: { list: { L: [{ S: 'x' }, { N: '2' }] } } },
};

const cond = (
  expression: string,
  values: Record<string, any> = {},
  names: Record<string, string> = {},
) =>
  evaluate(parseCondition(expression, new Substitutions(names, values)), item);

describe('expressions', () => {
  it('evaluates comparisons, functions and boolean logic', () => {
    expect(
      cond('amount BETWEEN :lo AND :hi', {
        ':lo': { N: '20' },
        ':hi': { N: '30' },
      }),
    ).toBe(true);
    expect(
      cond('begins_with(id, :p) AND NOT contains(tags, :c)', {
        ':p': { S: 'p' },
        ':c': { S: 'c' },
      }),
    ).toBe(true);
    expect(
      cond(
        'attribute_exists(#n.list[1]) OR amount > :x',
        { ':x': { N: '99' } },
        { '#n': 'nested' },
      ),
    ).toBe(true);
    expect(
      cond('size(tags) = :two AND id IN (:a, :b)', {
        ':two': { N: '2' },
        ':a': { S: 'z' },
        ':b': { S: 'p1' },
      }),
    ).toBe(true);
    expect(cond('attribute_type(amount, :t)', { ':t': { S: 'S' } })).toBe(
      false,
    );
  });

  it('applies SET arithmetic, list_append, REMOVE, ADD and DELETE together', () => {
    const subs = new Substitutions(
      {},
      {
        ':inc': { N: '5' },
        ':more': { L: [{ S: 'y' }] },
        ':tag': { SS: ['a'] },
        ':one': { N: '1' },
      },
    );
    const actions = parseUpdate(
      'SET amount = amount - :inc, nested.list = list_append(nested.list, :more) REMOVE tags ADD hits :one',
      subs,
    );
    const { item: updated, touched } = applyUpdate(item, actions);
    expect(updated.amount).toEqual({ N: '20' });
    expect(updated.nested.M!.list.L).toHaveLength(3);
    expect(updated.tags).toBeUndefined();
    expect(updated.hits).toEqual({ N: '1' });
    expect([...touched].sort()).toEqual(['amount', 'hits', 'nested', 'tags']);
    const removed = applyUpdate(
      item,
      parseUpdate(
        'DELETE tags :tag',
        new Substitutions({}, { ':tag': { SS: ['a'] } }),
      ),
    );
    expect(removed.item.tags).toEqual({ SS: ['b'] });
  });

  it('projects nested paths', () => {
    expect(
      project(item, parseProjection('id, nested.list', new Substitutions())),
    ).toEqual({
      id: { S: 'p1' },
      nested: { M: { list: item.nested.M!.list } },
    });
  });

  it('refuses syntax errors, undefined substitutions and reserved words', () => {
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as AwsError).message;
      }
      return 'no error';
    };
    expect(
      message(() => parseCondition('amount >', new Substitutions())),
    ).toContain('Syntax error');
    expect(
      message(() => parseCondition('amount > :x', new Substitutions())),
    ).toContain('attribute value: :x');
    expect(
      message(() => parseCondition('#a > amount', new Substitutions())),
    ).toContain('attribute name: #a');
    expect(
      message(() => parseCondition('name = id', new Substitutions())),
    ).toContain('reserved keyword: name');
  });
});

describe('PartiQL', () => {
  it('parses the supported statements', () => {
    expect(
      parseStatement(
        'SELECT a, "b" FROM "t"."idx" WHERE k = ? AND begins_with(s, \'x\')',
      ),
    ).toMatchObject({
      kind: 'SELECT',
      table: 't',
      index: 'idx',
      projection: ['a', 'b'],
      parameterCount: 1,
    });
    expect(
      parseStatement("UPDATE t SET a = 1 REMOVE b WHERE k = 'x'"),
    ).toMatchObject({ kind: 'UPDATE', remove: ['b'] });
  });

  it('redacts every literal but key values compared in WHERE', () => {
    expect(
      redactStatement(
        "UPDATE Music SET Album = 'X' WHERE Artist = 'No One' AND SongTitle = 'Call'",
        ['Artist', 'SongTitle'],
      ),
    ).toBe(
      "UPDATE Music SET Album = ***(Redacted) WHERE Artist = 'No One' AND SongTitle = 'Call'",
    );
    expect(
      redactStatement("INSERT INTO Music VALUE {'Artist': 'A', 'n': 3}", [
        'Artist',
      ]),
    ).toBe(
      "INSERT INTO Music VALUE {'Artist': ***(Redacted), 'n': ***(Redacted)}",
    );
    expect(
      redactStatement("SELECT * FROM t WHERE pk = 'a' AND other > 5", ['pk']),
    ).toBe("SELECT * FROM t WHERE pk = 'a' AND other > ***(Redacted)");
  });
});
