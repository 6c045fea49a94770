import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { approversOf, matchingRule, readApprovalRules } from './rules';

const rules = readApprovalRules(
  new ConfigReader({
    runbook: {
      approvals: {
        expiresAfterMinutes: 30,
        rules: [
          {
            name: 'in-place-restore',
            actions: ['restore'],
            input: { mode: 'in-place' },
            approvers: {
              from: ['platform-lead', 'group:default/database-admin'],
            },
          },
          {
            name: 'domain-stop-all',
            actions: ['stop-all'],
            entities: { kind: 'Domain' },
            expiresAfterMinutes: 15,
          },
          { name: 'agents', initiators: ['agent'], approvers: { count: 2 } },
        ],
      },
    },
  }),
);
const pay: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'pay', namespace: 'default' },
  spec: { owner: 'team-pay', system: 'payments', lifecycle: 'production' },
};
const db: Entity = { ...pay, kind: 'Resource', metadata: { name: 'db' } };
const domain: Entity = {
  ...pay,
  kind: 'Domain',
  metadata: { name: 'nexus-cos' },
};

describe('approval rules', () => {
  it('match on action, input, entity kind and initiator; the first match wins', () => {
    const rule = (subject: Partial<Parameters<typeof matchingRule>[1]>) =>
      matchingRule(rules, {
        action: 'scale',
        entity: pay,
        initiator: 'person',
        ...subject,
      })?.name;
    expect(rule({})).toBeUndefined();
    expect(
      rule({ action: 'restore', entity: db, input: { mode: 'in-place' } }),
    ).toBe('in-place-restore');
    expect(
      rule({ action: 'restore', entity: db, input: { mode: 'scratch' } }),
    ).toBeUndefined();
    expect(rule({ action: 'stop-all', entity: domain })).toBe(
      'domain-stop-all',
    );
    expect(rule({ action: 'stop-all', entity: pay })).toBeUndefined();
    expect(rule({ initiator: 'agent' })).toBe('agents');
    expect(rule({ initiator: 'scaffolder' })).toBeUndefined();
  });

  it('default to one approver among owner, on-call and platform lead, and the configured expiry', () => {
    const [restore, stopAll, agents] = rules;
    expect([restore.count, restore.expiresAfterMinutes]).toEqual([1, 30]);
    expect([stopAll.from, stopAll.expiresAfterMinutes]).toEqual([
      ['owner', 'oncall', 'platform-lead'],
      15,
    ]);
    expect(agents.count).toBe(2);
    expect(approversOf(stopAll.from, pay)).toEqual({
      groups: ['group:default/team-pay', 'group:default/platform-lead'],
      onCallOf: ['group:default/team-pay'],
    });
    expect(approversOf(restore.from, db)).toEqual({
      groups: ['group:default/platform-lead', 'group:default/database-admin'],
      onCallOf: [],
    });
  });
});
