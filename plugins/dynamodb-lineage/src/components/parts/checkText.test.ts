import { parseCheckText } from './checkText';
import { shortenMiddle } from './Identifier';
import { formatClock, formatWhen, lastLogText } from './time';

describe('parseCheckText', () => {
  it('puts long commands in blocks, keeps short code inline, folds a trailing JSON document', () => {
    const segments = parseCheckText(
      'Merge them and apply with `aws s3api put-bucket-policy --bucket b --policy file://policy.json`: [{"Sid":"A"},{"Sid":"B"}]',
    );
    expect(segments).toEqual([
      { kind: 'text', text: 'Merge them and apply with ' },
      {
        kind: 'code',
        text: 'aws s3api put-bucket-policy --bucket b --policy file://policy.json',
        block: true,
      },
      { kind: 'text', text: ':' },
      {
        kind: 'json',
        text: JSON.stringify([{ Sid: 'A' }, { Sid: 'B' }], null, 2),
        items: 2,
      },
    ]);
    expect(parseCheckText('make one call (`aws dynamodb get-item`)')).toEqual([
      { kind: 'text', text: 'make one call (' },
      { kind: 'code', text: 'aws dynamodb get-item', block: false },
      { kind: 'text', text: ')' },
    ]);
  });

  it('finds ARNs without the full stop after them, and ISO timestamps', () => {
    expect(
      parseCheckText(
        'not captured for arn:aws:dynamodb:us-east-1:1:table/t. Last 2026-12-01T11:28:07.814Z.',
      ),
    ).toEqual([
      { kind: 'text', text: 'not captured for ' },
      { kind: 'arn', text: 'arn:aws:dynamodb:us-east-1:1:table/t' },
      { kind: 'text', text: '. Last ' },
      { kind: 'time', iso: '2026-12-01T11:28:07.814Z' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('leaves text that only looks like JSON as text', () => {
    expect(parseCheckText('Rules: {not json}')).toEqual([
      { kind: 'text', text: 'Rules: {not json}' },
    ]);
  });
});

describe('plain-words times and identifiers', () => {
  const now = Date.parse('2026-12-01T16:34:00Z');
  it('says how long ago and the UTC clock time, with the day when not today', () => {
    expect(formatWhen('2026-12-01T11:28:07.814Z', now)).toBe(
      '5 h ago (11:28 UTC)',
    );
    expect(formatClock('2026-11-30T23:05:00Z', now)).toBe('30 Nov 23:05 UTC');
    expect(lastLogText(undefined, now)).toBe('No log delivered yet');
  });

  it('shortens long identifiers in the middle, keeping their start and end', () => {
    const arn =
      'arn:aws:cloudtrail:us-east-1:333333333333:trail/inventory-trail';
    const short = shortenMiddle(arn, 40);
    expect(short).toHaveLength(40);
    expect(short.startsWith('arn:aws:cloudtr')).toBe(true);
    expect(short.endsWith('trail/inventory-trail')).toBe(true);
    expect(shortenMiddle('333333333333', 40)).toBe('333333333333');
  });
});
