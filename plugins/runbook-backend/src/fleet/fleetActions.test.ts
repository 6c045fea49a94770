import { RUNBOOK_ACTION_DEFINITIONS } from '@nexus-cos/plugin-runbook-common';
import type { LiveState } from '@nexus-cos/plugin-runbook-node';
import { fleetActionSpec } from './fleetActions';

const live = (replicas: number): LiveState => ({
  live: {
    colour: 'blue',
    deployment: 'svc',
    replicas,
    readyReplicas: replicas,
  },
  autoscaled: false,
  revisions: [1],
  pods: [],
  paused: false,
});

describe('fleetActionSpec', () => {
  it('runs start and stop as changes, in opposite orders, skipping what is done', () => {
    const start = fleetActionSpec('start-all')!;
    const stop = fleetActionSpec('stop-all')!;
    expect([start.childAction, start.changesState, start.order]).toEqual([
      'start',
      true,
      'dependencies-first',
    ]);
    expect([stop.childAction, stop.changesState, stop.order]).toEqual([
      'stop',
      true,
      'dependents-first',
    ]);
    expect(start.alreadyDone!(live(2))).toBe(
      'already running (svc: 2 replicas)',
    );
    expect(start.alreadyDone!(live(0))).toBeUndefined();
    expect(stop.alreadyDone!(live(0))).toBe(
      'already stopped (svc: 0 replicas)',
    );
    expect(stop.alreadyDone!(live(3))).toBeUndefined();
    expect(stop.childInput({ gracePeriodSeconds: 60 })).toEqual({
      gracePeriodSeconds: 60,
    });
    expect(stop.childInput({})).toEqual({});
    expect(start.childInput({ gracePeriodSeconds: 60 })).toEqual({});
  });

  it('takes diagnostics from its definition: a read, nothing skipped', () => {
    const spec = fleetActionSpec('diagnostics');
    expect(spec).toMatchObject({
      action: 'diagnostics',
      childAction: 'diagnostics',
      changesState: false,
      order: 'dependencies-first',
    });
    expect(spec!.alreadyDone).toBeUndefined();
    expect(spec!.childInput({})).toEqual({});
  });

  it('has no spec for a fleet action whose run action this backend lacks', () => {
    const { start: _start, ...withoutStart } = RUNBOOK_ACTION_DEFINITIONS;
    expect(fleetActionSpec('start-all', withoutStart)).toBeUndefined();
    const { diagnostics: _d, ...withoutDiagnostics } =
      RUNBOOK_ACTION_DEFINITIONS;
    expect(fleetActionSpec('diagnostics', withoutDiagnostics)).toBeUndefined();
  });
});
