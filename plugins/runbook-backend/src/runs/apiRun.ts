import type { Run } from '@nexus-cos/plugin-runbook-common';
import { redactInput, redactText } from '../audit/redact';
import type { StoredRun } from './RunStore';

/** A run as the API shows it: no internals, secret and sensitive values redacted. */
export function toApiRun({ target: _t, prepared: _p, ...run }: StoredRun): Run {
  return {
    ...run,
    input: redactInput(run.action, run.input),
    reason: run.reason && redactText(run.reason),
  };
}
