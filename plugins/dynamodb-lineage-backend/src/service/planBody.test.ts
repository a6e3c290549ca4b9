import { planBodySchema } from './validation';

const base = {
  accountId: '444444444444',
  region: 'us-east-1',
  owner: 'group:default/team-analytics',
};

describe('planBodySchema scope', () => {
  it('accepts the empty list a form keeps for the mode it does not show, and drops it', () => {
    const parsed = planBodySchema.parse({
      ...base,
      scope: {
        mode: 'tables',
        tableArns: ['arn:aws:dynamodb:us-east-1:444444444444:table/events'],
        prefixes: [],
      },
    });
    expect(parsed.scope).toEqual({
      mode: 'tables',
      tableArns: ['arn:aws:dynamodb:us-east-1:444444444444:table/events'],
    });
    expect(
      planBodySchema.parse({
        ...base,
        scope: { mode: 'all', tableArns: [], prefixes: [] },
      }).scope,
    ).toEqual({ mode: 'all' });
  });

  it('refuses a non-empty list of another mode, naming the rule', () => {
    const result = planBodySchema.safeParse({
      ...base,
      scope: { mode: 'all', prefixes: ['orders'] },
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(
      "is used only when scope.mode is 'prefix'",
    );
  });

  it('still refuses unknown keys', () => {
    const result = planBodySchema.safeParse({
      ...base,
      scope: { mode: 'all', tables: [] },
    });
    expect(result.success).toBe(false);
  });
});
