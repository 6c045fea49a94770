/**
 * Writes bench/RESULTS.md from the latest result of each benchmark (bench/.results/),
 * with the machine they ran on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchResult, Table } from './lib';

const ORDER = ['health', 'oncall', 'actions', 'incidents', 'audit', 'frontend'];
const dir = path.join(__dirname, '.results');

const cell = (s: string) => s.replace(/\|/g, '\\|');
const markdown = (t: Table) =>
  [
    `**${t.title}**`,
    '',
    `| ${t.columns.map(cell).join(' | ')} |`,
    `| ${t.columns.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...t.rows.map(r => `| ${r.map(cell).join(' | ')} |`),
    '',
  ].join('\n');

const results = ORDER.flatMap(name => {
  const file = path.join(dir, `${name}.json`);
  return fs.existsSync(file)
    ? [
        JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResult & {
          at: string;
        },
      ]
    : [];
});

const cpus = os.cpus();
const lines = [
  '# Benchmark results',
  '',
  'Written by `make bench` (`bench/run`) from its latest run of each benchmark: measured',
  'figures, not targets. Each target of issue 16 is marked met or not met as measured.',
  '',
  `Machine: ${cpus.length} × ${
    cpus[0]?.model.trim() ?? 'unknown CPU'
  }, ${Math.round(
    os.totalmem() / 2 ** 30,
  )} GiB, ${os.type()} ${os.release()}, Node ${
    process.version
  }. The machine is shared:`,
  'other work ran beside the benchmarks, so single figures can move between runs; ratios',
  'are measured within one run.',
  '',
  '## Targets',
  '',
  '| Benchmark | Target | Measured | |',
  '| --- | --- | --- | --- |',
  ...results.flatMap(r =>
    r.targets.map(
      t =>
        `| ${r.name} | ${cell(t.target)} | ${cell(t.measured)} | ${
          t.met ? 'met' : '**not met**'
        } |`,
    ),
  ),
  '',
  ...results.flatMap(r => [
    `## ${r.name}: ${r.title.replace(/^\w+: /, '')}`,
    '',
    `Run ${r.at.slice(0, 16).replace('T', ' ')} UTC. ${r.summary}.`,
    '',
    ...r.tables.map(markdown),
    ...r.notes.map(n => `- ${n}`),
    '',
  ]),
  '## Not measured',
  '',
  '- `frontend` (gzipped JS the plugin adds to the entity page, time to a rendered health',
  '  card with Playwright) is not written yet: its targets are neither met nor missed.',
];
fs.writeFileSync(
  path.join(__dirname, 'RESULTS.md'),
  `${lines.join('\n').trimEnd()}\n`,
);
console.log(
  `bench: wrote bench/RESULTS.md (${results.map(r => r.name).join(', ')})`,
);
