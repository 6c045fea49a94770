import {
  Entity,
  parseEntityRef,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  DiagnosticCheck,
  DiagnosticStatus,
  HealthStatus,
  RESPONSE_CHECKLISTS,
  ServiceHealth,
} from '@nexus-cos/plugin-runbook-common';
import type { RunbookTarget } from '@nexus-cos/plugin-runbook-node';
import { redactText } from '../../audit/redact';
import { DEPENDENCY_CHECKS, DependencyCheck } from '../config';
import { statusOfShare } from './context';
import { probePostgres } from './postgres';
import { probeRedis } from './redis';

/** The annotation by which a Resource names how to check it. */
export const ANNOTATION_DEPENDENCY_CHECK = 'nexus-cos.io/dependency-check';

/** Connections in use at or above these shares of the maximum warn, then fail. */
const WARN_AT = 0.75;
const FAIL_AT = 0.9;

const FROM_HEALTH: Record<HealthStatus, DiagnosticStatus> = {
  healthy: 'ok',
  degraded: 'warn',
  down: 'fail',
  unknown: 'warn',
};

export type DependencyDeps = {
  /** The catalog entity of a ref, or undefined when it is not in the catalog. */
  entity(ref: string): Promise<Entity | undefined>;
  health(ref: string): Promise<ServiceHealth>;
  /** `runbook.dependencies.<name>.connection`, by Resource name. */
  connections: Map<string, string>;
  timeoutMs: number;
};

/** The refs an entity depends on: its `dependsOn` relations, else `spec.dependsOn`. */
export function dependenciesOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_DEPENDS_ON)
    .map(r => r.targetRef);
  if (related.length) return related;
  const declared = (entity.spec?.dependsOn ?? []) as string[];
  return declared.map(ref =>
    stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'component' })),
  );
}

function usage(
  used: number,
  max: number,
  what: string,
): { status: DiagnosticStatus; line: string } {
  const share = max > 0 ? used / max : 0;
  const status = statusOfShare(share, WARN_AT, FAIL_AT);
  return {
    status,
    line: `${used} of ${max} ${what} in use (${Math.round(share * 100)}%)`,
  };
}

/**
 * "Check dependencies (database, Redis, etc.)": a service it depends on by its health,
 * a PostgreSQL or Redis Resource by a real connection.
 */
export async function dependencyCheck(
  target: RunbookTarget,
  ref: string,
  deps: DependencyDeps,
): Promise<DiagnosticCheck> {
  const base = {
    id: 'dependency',
    entityRef: ref,
    title: `Dependency ${ref}`,
  };
  const troubleshooting = {
    ...RESPONSE_CHECKLISTS.databaseConnectionIssues(target),
  };
  const { kind, name } = parseEntityRef(ref);
  if (kind.toLocaleLowerCase('en-US') === 'component') {
    const health = await deps.health(ref);
    const status = FROM_HEALTH[health.status];
    return {
      ...base,
      status,
      evidence: [
        `${ref} is ${health.status}`,
        ...health.reasons.map(r => r.message),
      ],
      ...(status === 'ok'
        ? {}
        : {
            troubleshooting: {
              ...RESPONSE_CHECKLISTS.highErrorRate(target),
              title: 'High Error Rate: Check dependencies',
            },
          }),
    };
  }
  const entity = await deps.entity(ref);
  const check = entity?.metadata.annotations?.[ANNOTATION_DEPENDENCY_CHECK] as
    | DependencyCheck
    | undefined;
  if (!entity || !check || !DEPENDENCY_CHECKS.includes(check)) {
    return {
      ...base,
      status: 'ok',
      evidence: [
        entity
          ? `${ref} declares no ${ANNOTATION_DEPENDENCY_CHECK} (${DEPENDENCY_CHECKS.join(
              ' or ',
            )}), so it is not checked`
          : `${ref} is not in the catalog`,
      ],
    };
  }
  const connection = deps.connections.get(name);
  if (!connection) {
    return {
      ...base,
      status: 'warn',
      evidence: [
        `${check}: not checked: runbook.dependencies.${name}.connection is not set`,
      ],
    };
  }
  try {
    if (check === 'postgres') {
      const probe = await probePostgres(connection, deps.timeoutMs);
      const u = usage(probe.used, probe.max, 'connections');
      return {
        ...base,
        status: u.status,
        evidence: ['PostgreSQL: connected, SELECT 1 answered', u.line],
        ...(u.status === 'ok' ? {} : { troubleshooting }),
      };
    }
    const probe = await probeRedis(connection, deps.timeoutMs);
    const u = usage(probe.connected, probe.max, 'client connections');
    return {
      ...base,
      status: u.status,
      evidence: ['Redis: PING answered PONG', u.line],
      ...(u.status === 'ok' ? {} : { troubleshooting }),
    };
  } catch (error) {
    return {
      ...base,
      status: 'fail',
      evidence: [
        `${
          check === 'postgres' ? 'PostgreSQL' : 'Redis'
        }: cannot connect: ${redactText(
          error instanceof Error ? error.message : String(error),
        )}`,
      ],
      troubleshooting,
    };
  }
}
