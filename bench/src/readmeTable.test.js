const fs = require('node:fs');
const {
  README,
  RESULTS,
  START,
  END,
  renderSection,
  updateReadme,
} = require('./readmeTable');

const results = {
  ranAt: '2026-12-01T22:00:00.000Z',
  commit: '0123456789abcdef0123456789abcdef01234567',
  uncommittedChanges: false,
  machine: {
    cpus: 2,
    cpuModel: 'Test CPU',
    memGiB: 8,
    node: 'v20.0.0',
    loadAverage1m: { before: 3.5, after: 4 },
  },
  notes: 'Other work ran on the machine.',
  parts: {
    a: {
      title: 'refresh',
      ranAt: '2026-12-01T21:50:00.000Z',
      rows: [
        {
          part: 'a',
          metric: 'calls per trail',
          value: '2.1 / 2',
          detail: 'cold | 16',
          method: 'emulator call log',
        },
      ],
    },
    b: {
      title: 'freshness',
      ranAt: '2026-11-30T10:00:00.000Z',
      rows: [
        {
          part: 'b',
          metric: 'list calls',
          value: '1 / 2',
          target: '≤ 2',
          met: false,
          method: 'call log',
        },
      ],
    },
  },
};

describe('the README benchmark section', () => {
  it('is what bench/results.json generates', () => {
    const readme = fs.readFileSync(README, 'utf8');
    const committed = JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
    expect(readme).toContain(START);
    expect(updateReadme(readme, committed)).toBe(readme);
  });

  it('shows every figure with its method, target, machine, notes and date', () => {
    const section = renderSection(results);
    expect(section.startsWith(START)).toBe(true);
    expect(section.endsWith(END)).toBe(true);
    expect(section).toContain(
      'Measured 2026-12-01 at commit 0123456 on 2 × Test CPU',
    );
    expect(renderSection({ ...results, uncommittedChanges: true })).toContain(
      'at commit 0123456 with uncommitted changes on 2 × Test CPU',
    );
    expect(section).toContain('Other work ran on the machine.');
    expect(section).toMatch(
      /\| a +\| calls per trail +\| 2\.1 \/ 2 +\| cold \\\| 16 +\| +\| emulator call log +\|/,
    );
    // A part kept from an earlier run says when it was measured; a missed target says so.
    expect(section).toMatch(
      /\| b +\| list calls \(measured 2026-11-30\) +\| 1 \/ 2 +\| +\| ≤ 2 \(missed\) +\| call log +\|/,
    );
  });

  it('replaces only what lies between the markers', () => {
    const readme = `# Title\n\nBefore.\n\n${START}\nold table\n${END}\n\nAfter.\n`;
    const updated = updateReadme(readme, results);
    expect(updated).not.toContain('old table');
    expect(updated.startsWith('# Title\n\nBefore.\n\n')).toBe(true);
    expect(updated.endsWith(`${END}\n\nAfter.\n`)).toBe(true);
    expect(updateReadme(updated, results)).toBe(updated);
  });

  it('refuses a README without the markers', () => {
    expect(() => updateReadme('# Title\n', results)).toThrow(
      /no benchmark section/,
    );
  });
});
