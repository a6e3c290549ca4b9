import { renderTerraform } from '../terraform';
import { makeSpec } from '../__fixtures__/specs';
import { plannedAthenaTable } from './athenaTable';

/** The body of the Terraform export's Glue table, by brace matching. */
function glueTable(main: string): string {
  const header = 'resource "aws_glue_catalog_table" "cloudtrail" {';
  const start = main.indexOf(header);
  if (start < 0) throw new Error('no Glue table');
  let depth = 0;
  for (let i = start + header.length - 1; i < main.length; i++) {
    if (main[i] === '{') depth++;
    if (main[i] === '}' && --depth === 0) return main.slice(start, i + 1);
  }
  throw new Error('unbalanced Glue table');
}

describe('plannedAthenaTable', () => {
  it.each([
    ['without a key prefix', makeSpec()],
    ['with a key prefix', makeSpec({ s3KeyPrefix: 'audit/ct' })],
  ])(
    'names the table, location and projection the Terraform export declares (%s)',
    (_, spec) => {
      const planned = plannedAthenaTable(spec, 'forensics_db');
      const block = glueTable(
        renderTerraform(spec, { athena: { database: 'forensics_db' } })[
          'main.tf'
        ],
      );
      // The export follows the bucket and account variables; with their
      // defaults (the spec's) it is the same S3 location.
      const resolved = (text: string) =>
        text
          .split('${aws_s3_bucket.logs.id}')
          .join(spec.bucketName)
          .split('${var.account_id}')
          .join(spec.accountId)
          .split('$${')
          .join('${');
      const value = (name: string) => {
        const match = block.match(
          new RegExp(
            `^\\s*"?${name.replace(/\./g, '\\.')}"?\\s*= "(.*)"$`,
            'm',
          ),
        );
        if (!match) throw new Error(`no ${name} in the Glue table`);
        return resolved(match[1]);
      };
      expect(value('name')).toBe(planned.name);
      expect(value('location')).toBe(planned.location);
      expect(value('storage.location.template')).toBe(planned.locationTemplate);

      // Every table property of the DDL, the projection included, is a
      // parameter of the Glue table with the same value.
      const properties = [
        ...planned.ddl.matchAll(/^ {2}'([^']+)'='([^']*)'/gm),
      ].map(m => [m[1], m[2]]);
      expect(properties.map(([k]) => k)).toEqual(
        expect.arrayContaining([
          'projection.enabled',
          'projection.region.values',
          'projection.day.range',
          'storage.location.template',
        ]),
      );
      for (const [key, ddlValue] of properties) {
        expect({ key, value: value(key) }).toEqual({ key, value: ddlValue });
      }
      expect(planned.ddl).toContain(
        `CREATE EXTERNAL TABLE IF NOT EXISTS \`forensics_db\`.\`${planned.name}\``,
      );
      expect(planned.ddl).toContain(`LOCATION '${planned.location}'`);
    },
  );

  it('says the table is not an apply step', () => {
    const planned = plannedAthenaTable(makeSpec(), 'forensics_db');
    expect(planned.note).toMatch(/first Athena forensics query/);
    expect(planned.database).toBe('forensics_db');
  });
});
