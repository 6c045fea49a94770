import { Config } from '@backstage/config';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_TIER,
  ApproverSet,
  RunInitiator,
} from '@nexus-cos/plugin-runbook-common';

/** The platform-wide approvers' group. */
export const PLATFORM_LEAD = 'group:default/platform-lead';

/** What an approval rule matches on. */
export type ApprovalSubject = {
  /** A runbook action, or a fleet action such as `stop-all`. */
  action: string;
  input?: Record<string, unknown>;
  entity: Entity;
  initiator: RunInitiator;
};

/** One rule of `runbook.approvals.rules`. */
export type ApprovalRule = {
  name: string;
  actions?: string[];
  /** Shallow input values that must match, e.g. `{ mode: 'in-place' }`. */
  input?: Record<string, string | number | boolean>;
  entities?: {
    lifecycle?: string;
    tier?: string;
    kind?: string;
    system?: string;
  };
  initiators?: RunInitiator[];
  /** How many distinct people must approve. */
  count: number;
  /** `owner`, `oncall`, `platform-lead`, or group refs. */
  from: string[];
  expiresAfterMinutes: number;
};

/** `runbook.approvals.rules`, with defaults applied (see config.d.ts). */
export function readApprovalRules(root: Config): ApprovalRule[] {
  const c = root.getOptionalConfig('runbook.approvals');
  const defaultExpiry = c?.getOptionalNumber('expiresAfterMinutes') ?? 60;
  return (c?.getOptionalConfigArray('rules') ?? []).map(r => {
    const entities = r.getOptionalConfig('entities');
    const input = r.getOptionalConfig('input');
    return {
      name: r.getString('name'),
      actions: r.getOptionalStringArray('actions'),
      input: input?.get() as ApprovalRule['input'],
      entities: entities && {
        lifecycle: entities.getOptionalString('lifecycle'),
        tier: entities.getOptionalString('tier'),
        kind: entities.getOptionalString('kind'),
        system: entities.getOptionalString('system'),
      },
      initiators: r.getOptionalStringArray('initiators') as
        | RunInitiator[]
        | undefined,
      count: Math.max(1, r.getOptionalNumber('approvers.count') ?? 1),
      from: r.getOptionalStringArray('approvers.from') ?? [
        'owner',
        'oncall',
        'platform-lead',
      ],
      expiresAfterMinutes:
        r.getOptionalNumber('expiresAfterMinutes') ?? defaultExpiry,
    };
  });
}

const sameRef = (a: string, b: string, defaultKind: string) => {
  const x = parseEntityRef(a, { defaultKind });
  const y = parseEntityRef(b, { defaultKind });
  return x.name === y.name && x.namespace === y.namespace;
};

function matches(rule: ApprovalRule, s: ApprovalSubject): boolean {
  if (rule.actions && !rule.actions.includes(s.action)) return false;
  if (rule.initiators && !rule.initiators.includes(s.initiator)) return false;
  for (const [key, value] of Object.entries(rule.input ?? {})) {
    if (s.input?.[key] !== value) return false;
  }
  const e = rule.entities;
  if (!e) return true;
  if (e.lifecycle && s.entity.spec?.lifecycle !== e.lifecycle) return false;
  if (e.tier && s.entity.metadata.annotations?.[ANNOTATION_TIER] !== e.tier)
    return false;
  if (
    e.kind &&
    s.entity.kind.toLocaleLowerCase('en-US') !==
      e.kind.toLocaleLowerCase('en-US')
  )
    return false;
  if (e.system) {
    const system = s.entity.spec?.system;
    if (typeof system !== 'string' || !sameRef(system, e.system, 'system'))
      return false;
  }
  return true;
}

/** The first rule that asks for an approval of this change, if any. */
export function matchingRule(
  rules: ApprovalRule[],
  subject: ApprovalSubject,
): ApprovalRule | undefined {
  return rules.find(rule => matches(rule, subject));
}

/** The groups and rotations a rule names, for this entity's owner. */
export function approversOf(from: string[], entity: Entity): ApproverSet {
  const owner =
    typeof entity.spec?.owner === 'string'
      ? stringifyEntityRef(
          parseEntityRef(entity.spec.owner, {
            defaultKind: 'group',
            defaultNamespace: entity.metadata.namespace ?? 'default',
          }),
        )
      : undefined;
  const groups = new Set<string>();
  const onCallOf = new Set<string>();
  for (const who of from) {
    if (who === 'owner' && owner) groups.add(owner);
    else if (who === 'oncall' && owner) onCallOf.add(owner);
    else if (who === 'platform-lead') groups.add(PLATFORM_LEAD);
    else if (who.includes(':'))
      groups.add(
        stringifyEntityRef(parseEntityRef(who, { defaultKind: 'group' })),
      );
  }
  return { groups: [...groups], onCallOf: [...onCallOf] };
}
