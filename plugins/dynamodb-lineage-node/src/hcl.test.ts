import { attr, block, expr, renderHcl } from './hcl';

describe('renderHcl', () => {
  it('escapes data so it can never become an interpolation or directive', () => {
    const text = renderHcl([
      {
        type: 'locals',
        body: [attr('x', 'a "quoted" ${var.secret} %{if} \\ end')],
      },
    ]);
    expect(text).toBe(
      'locals {\n  x = "a \\"quoted\\" $${var.secret} %%{if} \\\\ end"\n}\n',
    );
  });

  it('writes expressions as they are and markers as interpolations', () => {
    const text = renderHcl(
      [
        {
          type: 'resource',
          labels: ['a', 'b'],
          body: [
            attr('id', expr('aws_s3_bucket.logs.id')),
            attr('arn', '⟦b⟧/*'),
            attr('whole', '⟦b⟧'),
            block('nested', [], []),
          ],
        },
      ],
      { '⟦b⟧': 'aws_s3_bucket.logs.arn' },
    );
    expect(text).toBe(
      [
        'resource "a" "b" {',
        '  id    = aws_s3_bucket.logs.id',
        '  arn   = "${aws_s3_bucket.logs.arn}/*"',
        '  whole = aws_s3_bucket.logs.arn',
        '  nested {}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('quotes object keys that are not identifiers', () => {
    expect(
      renderHcl([
        {
          type: 'locals',
          body: [attr('t', { a: 1, 'b:c': true, null: null })],
        },
      ]),
    ).toBe(
      'locals {\n  t = {\n    a      = 1\n    "b:c"  = true\n    "null" = null\n  }\n}\n',
    );
  });
});
