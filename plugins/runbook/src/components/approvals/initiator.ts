import type { RunInitiator } from '@nexus-cos/plugin-runbook-common';

/** Who started a run, as approval rules tell them apart, in words. */
export const INITIATOR_TEXT: Record<RunInitiator, string> = {
  person: 'a person',
  scaffolder: 'a scaffolder template',
  agent: 'an agent (MCP tool call)',
};
