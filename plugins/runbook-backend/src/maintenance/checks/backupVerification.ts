import type { RunbookMaintenanceCheck } from '@nexus-cos/plugin-runbook-node';
import type { BackupService } from '../../backup/BackupService';
import type { DrTargetConfig } from '../../backup/config';

const HOUR_MS = 60 * 60 * 1000;

type TargetFinding = {
  target: string;
  rpoHours: number;
  status: 'ok' | 'warn' | 'fail';
  problem?: string;
  backupId?: string;
  createdAt?: string;
  ageHours?: number;
  verification?: { ok: boolean; at: string; by: string; detail: string };
};

/**
 * The runbook's daily "Verify backups": each DR target's newest backup is younger than
 * its RPO and passed a verification. An unverified one is a finding, an old, failed or
 * missing one a failure.
 */
export function backupVerificationCheck(o: {
  targets: Map<string, DrTargetConfig>;
  backups: Pick<BackupService, 'listOf'>;
}): RunbookMaintenanceCheck {
  return {
    id: 'backup-verification',
    title: 'Verify backups',
    period: 'daily',
    async run({ now }) {
      if (!o.targets.size) {
        return {
          status: 'warn',
          summary: 'No DR targets configured: nothing is backed up',
          evidence: { targets: [] },
        };
      }
      const targets = await Promise.all(
        [...o.targets].map(async ([name, config]): Promise<TargetFinding> => {
          const [newest] = await o.backups.listOf(name, 'database');
          const base = { target: name, rpoHours: config.rpoHours };
          if (!newest) {
            return { ...base, status: 'fail', problem: 'no backup' };
          }
          const ageHours =
            Math.round(
              ((now.getTime() - Date.parse(newest.createdAt)) / HOUR_MS) * 10,
            ) / 10;
          const found = {
            ...base,
            backupId: newest.id,
            createdAt: newest.createdAt,
            ageHours,
            ...(newest.verification
              ? {
                  verification: {
                    ok: newest.verification.ok,
                    at: newest.verification.at,
                    by: newest.verification.by,
                    detail: newest.verification.detail,
                  },
                }
              : {}),
          };
          if (ageHours > config.rpoHours) {
            return {
              ...found,
              status: 'fail',
              problem: `the newest backup is ${ageHours} h old, past the RPO of ${config.rpoHours} h`,
            };
          }
          if (!newest.verification) {
            return { ...found, status: 'warn', problem: 'not verified yet' };
          }
          if (!newest.verification.ok) {
            return {
              ...found,
              status: 'fail',
              problem: `verification failed: ${newest.verification.detail}`,
            };
          }
          return { ...found, status: 'ok' };
        }),
      );
      let worst: TargetFinding['status'] = 'ok';
      if (targets.some(t => t.status === 'warn')) worst = 'warn';
      if (targets.some(t => t.status === 'fail')) worst = 'fail';
      const problems = targets.filter(t => t.status !== 'ok');
      return {
        status: worst,
        summary: problems.length
          ? problems.map(t => `${t.target}: ${t.problem}`).join('; ')
          : `${targets.length} target(s): newest backup within the RPO and verified`,
        evidence: { targets },
      };
    },
  };
}
