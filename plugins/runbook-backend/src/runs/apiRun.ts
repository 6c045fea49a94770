import type { Run } from '@nexus-cos/plugin-runbook-common';
import { redactInput, redactText } from '../audit/redact';
import type { StoredRun } from './RunStore';

/**
 * A run as the API shows it: no internals (but the cluster it acts on), secret and
 * sensitive values redacted.
 */
export function toApiRun({ target, prepared: _p, ...run }: StoredRun): Run {
  return {
    ...run,
    ...(target.cluster ? { cluster: target.cluster } : {}),
    input: redactInput(run.action, run.input),
    reason: run.reason && redactText(run.reason),
  };
}
