import type { DrDrillTable } from '@nexus-cos/plugin-runbook-common';
import type { TableFigures } from '@nexus-cos/plugin-runbook-node';

/** The database a connection URL names ('' when it names none). */
export function databaseOf(connection: string): string {
  try {
    return decodeURIComponent(new URL(connection).pathname.slice(1));
  } catch {
    return '';
  }
}

/** A fresh database name beside `database`: `<database>_<purpose>_<UTC time>`. */
export function scratchName(
  database: string,
  purpose: 'drill' | 'verify' | 'restore',
  now = new Date(),
): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return `${database}_${purpose}_${stamp}`.slice(0, 63);
}

/**
 * Every table of the source, at backup time, against its copy: rows and checksum must
 * both match. `failure` names the tables that differ, with their figures; `extra` are
 * tables of the copy that the source did not have.
 */
export function compareTables(
  source: TableFigures[],
  copy: TableFigures[],
  differs = 'The restore differs from the backup',
): { tables: DrDrillTable[]; failure?: string; extra: string[] } {
  const tables: DrDrillTable[] = source.map(s => {
    const c = copy.find(r => r.table === s.table);
    return {
      table: s.table,
      sourceRows: s.rows,
      restoredRows: c?.rows ?? 0,
      sourceChecksum: s.checksum,
      restoredChecksum: c?.checksum ?? '(missing)',
      match: !!c && c.rows === s.rows && c.checksum === s.checksum,
    };
  });
  const extra = copy
    .filter(c => !source.some(s => s.table === c.table))
    .map(c => c.table);
  const differing = tables.filter(t => !t.match);
  const problems = differing.map(
    t =>
      `${t.table} (rows ${t.sourceRows} -> ${
        t.restoredRows
      }, checksum ${t.sourceChecksum.slice(0, 8)} -> ${t.restoredChecksum.slice(
        0,
        8,
      )})`,
  );
  return {
    tables,
    extra,
    ...(problems.length
      ? { failure: `${differs} in ${problems.join(', ')}` }
      : {}),
  };
}
