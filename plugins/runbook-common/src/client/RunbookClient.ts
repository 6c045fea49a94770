import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type { RunbookActionName, RunRequest } from '../actions';
import { RUN_INITIATOR_HEADER, RunInitiator } from '../approvals/types';
import type { BackupItem } from '../backups/types';
import type { EntityOnCall, OnCallOverview } from '../contacts/types';
import type { FleetRunRequest } from '../fleet/schemas';
import type { FleetDryRunResult, FleetRun } from '../fleet/types';
import {
  ClusterToken,
  clusterTokenHeader,
  HealthOverview,
  ServiceEvent,
  ServiceHealth,
  ServiceLogTail,
} from '../health/types';
import type {
  DeclareIncidentRequest,
  IncidentSeverity,
  PostMortem,
  TimelineEntryRequest,
  UpdateIncidentRequest,
} from '../incidents/schemas';
import type { Incident, IncidentStats } from '../incidents/types';
import type {
  MaintenanceCalendar,
  MaintenanceItem,
  MaintenancePeriod,
} from '../maintenance/types';
import type {
  AccessReport,
  CertificatesResponse,
  SecurityFindingsResponse,
  SecurityOverview,
  VulnerabilitiesResponse,
  VulnerabilityUploadResult,
} from '../security/types';
import type {
  AuditFilter,
  AuditOrder,
  AuditPage,
  AuditVerifyResult,
  DryRunResult,
  Run,
  RunbookResolution,
  RunLogEntry,
} from '../types';

/** What the client needs from Backstage's discovery (frontend or backend). @public */
export type RunbookClientDiscovery = {
  getBaseUrl(pluginId: string): Promise<string>;
};

/** A `fetch` that adds credentials: the frontend's fetchApi or a token-injecting one. @public */
export type RunbookClientFetch = { fetch: typeof fetch };

/** Outcome of starting a run: the run and whether it is a replay of an earlier request. @public */
export type StartRunResult = { run: Run; replayed: boolean };

/**
 * Typed HTTP client of the runbook backend (`/api/runbook`). Non-2xx answers throw
 * {@link @backstage/errors#ResponseError}, whose `statusCode` and body come from the server.
 * @public
 */
export class RunbookClient {
  readonly #discovery: RunbookClientDiscovery;
  readonly #fetch: typeof fetch;

  constructor(options: {
    discoveryApi: RunbookClientDiscovery;
    fetchApi?: RunbookClientFetch;
  }) {
    this.#discovery = options.discoveryApi;
    this.#fetch = options.fetchApi
      ? options.fetchApi.fetch.bind(options.fetchApi)
      : (...args) => fetch(...args);
  }

  /** Actions, limits and the caller's permission for each, and the live colour. */
  getRunbook(
    entityRef: string | CompoundEntityRef,
  ): Promise<RunbookResolution> {
    return this.#json(`${entityPath(entityRef)}/runbook`);
  }

  /**
   * Starts a run. Pass the same `idempotencyKey` when retrying: the server then returns
   * the first run instead of starting another. A run that an approval rule covers
   * answers `awaiting-approval`; `initiator` says a template started it, for the rules.
   */
  async startRun(
    entityRef: string | CompoundEntityRef,
    request: Omit<RunRequest, 'dryRun'>,
    options?: { idempotencyKey?: string; initiator?: RunInitiator },
  ): Promise<StartRunResult> {
    const response = await this.#request(`${entityPath(entityRef)}/runs`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(options?.idempotencyKey
          ? { 'Idempotency-Key': options.idempotencyKey }
          : {}),
        ...(options?.initiator
          ? { [RUN_INITIATOR_HEADER]: options.initiator }
          : {}),
      },
      body: JSON.stringify({ ...request, dryRun: false }),
    });
    return { run: await response.json(), replayed: response.status === 200 };
  }

  /** The diff between the live objects and the API server's `dryRun=All` answer. */
  async dryRun(
    entityRef: string | CompoundEntityRef,
    request: Omit<RunRequest, 'dryRun'>,
  ): Promise<DryRunResult> {
    const response = await this.#request(`${entityPath(entityRef)}/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...request, dryRun: true }),
    });
    return response.json();
  }

  /** Run history of an entity, newest first; `action` keeps one action's runs. */
  listRuns(
    entityRef: string | CompoundEntityRef,
    options?: { limit?: number; action?: RunbookActionName },
  ): Promise<{ items: Run[] }> {
    return this.#json(
      `${entityPath(entityRef)}/runs${query({
        limit: options?.limit,
        action: options?.action,
      })}`,
    );
  }

  getRun(id: string): Promise<Run> {
    return this.#json(`/runs/${encodeURIComponent(id)}`);
  }

  /** The run's step log; `after` returns only entries with a higher `seq`. */
  getRunLog(
    id: string,
    options?: { after?: number },
  ): Promise<{ items: RunLogEntry[] }> {
    return this.#json(
      `/runs/${encodeURIComponent(id)}/log${query({ after: options?.after })}`,
    );
  }

  /** Asks a run to stop; what it started is rolled back and the lock freed. */
  async cancelRun(id: string): Promise<Run> {
    const response = await this.#request(
      `/runs/${encodeURIComponent(id)}/cancel`,
      {
        method: 'POST',
      },
    );
    return response.json();
  }

  /** Approves a run awaiting approval; with enough approvals it takes the lock and runs. */
  approveRun(id: string, comment: string): Promise<Run> {
    return this.#send('POST', `/runs/${encodeURIComponent(id)}/approve`, {
      comment,
    });
  }

  /** Rejects a run awaiting approval: it ends `rejected` with the comment. */
  rejectRun(id: string, comment: string): Promise<Run> {
    return this.#send('POST', `/runs/${encodeURIComponent(id)}/reject`, {
      comment,
    });
  }

  /**
   * What awaits approval: the runs (`items`) and fleet runs (`fleet`) the caller may
   * decide, or with `mine` their own.
   */
  listApprovals(options?: {
    mine?: boolean;
  }): Promise<{ items: Run[]; fleet: FleetRun[] }> {
    return this.#json(
      `/approvals${query({ mine: String(options?.mine ?? false) })}`,
    );
  }

  /** Approves a fleet run awaiting approval; the approval that completes it starts it. */
  approveFleetRun(id: string, comment: string): Promise<FleetRun> {
    return this.#send('POST', `/fleet/runs/${encodeURIComponent(id)}/approve`, {
      comment,
    });
  }

  /** Rejects a fleet run awaiting approval. */
  rejectFleetRun(id: string, comment: string): Promise<FleetRun> {
    return this.#send('POST', `/fleet/runs/${encodeURIComponent(id)}/reject`, {
      comment,
    });
  }

  /**
   * Starts start-all, stop-all or diagnostics on every service of a System or the
   * Domain, in dependency order; follow it with {@link RunbookClient.getFleetRun}.
   */
  startFleetRun(request: Omit<FleetRunRequest, 'dryRun'>): Promise<FleetRun> {
    return this.#send('POST', '/fleet/runs', { ...request, dryRun: false });
  }

  /** The plan and the services that would be skipped, with reasons; runs nothing. */
  dryRunFleet(
    request: Omit<FleetRunRequest, 'dryRun'>,
  ): Promise<FleetDryRunResult> {
    return this.#send('POST', '/fleet/runs', { ...request, dryRun: true });
  }

  /** A fleet run: its plan and each service's status and run. */
  getFleetRun(id: string): Promise<FleetRun> {
    return this.#json(`/fleet/runs/${encodeURIComponent(id)}`);
  }

  /** Fleet runs, newest first; `scope` narrows to one System or the Domain. */
  listFleetRuns(options?: {
    scope?: string;
    limit?: number;
  }): Promise<{ items: FleetRun[] }> {
    return this.#json(
      `/fleet/runs${query({ scope: options?.scope, limit: options?.limit })}`,
    );
  }

  /** Stops a fleet run between services: runs in progress end, no new one starts. */
  cancelFleetRun(id: string): Promise<FleetRun> {
    return this.#send('POST', `/fleet/runs/${encodeURIComponent(id)}/cancel`);
  }

  /** One page of the audit trail; pass `nextCursor` back as `cursor` for the next. */
  listAudit(
    filter?: AuditFilter & {
      cursor?: string;
      limit?: number;
      order?: AuditOrder;
    },
  ): Promise<AuditPage> {
    return this.#json(`/audit${query(filter ?? {})}`);
  }

  /** The audit trail as JSON lines or CSV text. */
  async exportAudit(
    format: 'jsonl' | 'csv',
    filter?: AuditFilter,
  ): Promise<string> {
    const response = await this.#request(
      `/audit/export${query({ ...filter, format })}`,
    );
    return response.text();
  }

  /**
   * Verifies the hash chain and its anchors. `anchors` adds heads taken from outside the
   * database (the log or the auditor) as `seq:hash` strings.
   */
  verifyAudit(options?: { anchors?: string[] }): Promise<AuditVerifyResult> {
    return this.#json(
      `/audit/verify${query({ anchors: options?.anchors?.join(',') })}`,
    );
  }

  /** Declares an incident; the caller becomes its reporter. */
  declareIncident(request: DeclareIncidentRequest): Promise<Incident> {
    return this.#send('POST', '/incidents', request);
  }

  /**
   * Incidents, newest first; `status` takes a comma-separated list or `open`.
   * `entity` narrows to incidents affecting that ref or any of several refs (at
   * most 100, sent comma-separated); an empty list matches nothing, so no request.
   */
  listIncidents(filter?: {
    entity?: string | readonly string[];
    status?: string;
    severity?: IncidentSeverity;
    limit?: number;
  }): Promise<{ items: Incident[] }> {
    const { entity, ...rest } = filter ?? {};
    if (Array.isArray(entity) && entity.length === 0) {
      return Promise.resolve({ items: [] });
    }
    const refs = typeof entity === 'string' ? entity : entity?.join(',');
    return this.#json(`/incidents${query({ ...rest, entity: refs })}`);
  }

  getIncident(id: string): Promise<Incident> {
    return this.#json(`/incidents/${encodeURIComponent(id)}`);
  }

  /** Moves a detected incident to assessing and stops its escalation. */
  acknowledgeIncident(id: string): Promise<Incident> {
    return this.#send(
      'POST',
      `/incidents/${encodeURIComponent(id)}/acknowledge`,
    );
  }

  /** Changes phase, severity or commander. */
  updateIncident(
    id: string,
    request: UpdateIncidentRequest,
  ): Promise<Incident> {
    return this.#send('PATCH', `/incidents/${encodeURIComponent(id)}`, request);
  }

  addIncidentTimelineEntry(
    id: string,
    request: TimelineEntryRequest,
  ): Promise<Incident> {
    return this.#send(
      'POST',
      `/incidents/${encodeURIComponent(id)}/timeline`,
      request,
    );
  }

  /** Writes the post-mortem of a resolved incident. */
  writePostMortem(id: string, postMortem: PostMortem): Promise<Incident> {
    return this.#send(
      'PUT',
      `/incidents/${encodeURIComponent(id)}/postmortem`,
      postMortem,
    );
  }

  /** Counts, MTTA and MTTR of an entity's incidents. */
  getIncidentStats(
    entityRef: string | CompoundEntityRef,
  ): Promise<IncidentStats> {
    return this.#json(`${entityPath(entityRef)}/incidents/stats`);
  }

  /** Owner on call, next hand-overs and escalation chain of an entity, now or `at`. */
  getOnCall(
    entityRef: string | CompoundEntityRef,
    options?: { at?: string },
  ): Promise<EntityOnCall> {
    return this.#json(
      `${entityPath(entityRef)}/oncall${query({ at: options?.at })}`,
    );
  }

  /** Everyone on call now (or `at`), one entry per Group with a rotation. */
  getOnCallOverview(options?: { at?: string }): Promise<OnCallOverview> {
    return this.#json(`/oncall${query({ at: options?.at })}`);
  }

  /**
   * Current health, reasons with checklists, workload and the last hour of metrics.
   * Pass `clusterToken` when the answer's `clusterAuth` asks for the user's token.
   */
  getHealth(
    entityRef: string | CompoundEntityRef,
    options?: { clusterToken?: ClusterToken },
  ): Promise<ServiceHealth> {
    return this.#json(`${entityPath(entityRef)}/health`, options?.clusterToken);
  }

  /** The status of every service, for an overview. */
  getHealthOverview(options?: {
    clusterToken?: ClusterToken;
  }): Promise<HealthOverview> {
    return this.#json('/health', options?.clusterToken);
  }

  /** Recent Kubernetes events of the service, newest first. */
  getEvents(
    entityRef: string | CompoundEntityRef,
    options?: { limit?: number; clusterToken?: ClusterToken },
  ): Promise<{ items: ServiceEvent[] }> {
    return this.#json(
      `${entityPath(entityRef)}/events${query({ limit: options?.limit })}`,
      options?.clusterToken,
    );
  }

  /** The tail of one pod's log; `errorsOnly` keeps the lines with `ERROR`. */
  getLogs(
    entityRef: string | CompoundEntityRef,
    options?: {
      pod?: string;
      tail?: number;
      errorsOnly?: boolean;
      clusterToken?: ClusterToken;
    },
  ): Promise<ServiceLogTail> {
    return this.#json(
      `${entityPath(entityRef)}/logs${query({
        pod: options?.pod,
        tail: options?.tail,
        errors: options?.errorsOnly ? 'true' : undefined,
      })}`,
      options?.clusterToken,
    );
  }

  /**
   * Backups of a DR target (its name) or a service's configuration bundles (its entity
   * ref), newest first, with their last verification.
   */
  listBackups(
    target: string,
    options?: { limit?: number },
  ): Promise<{ items: BackupItem[] }> {
    return this.#json(`/backups${query({ target, limit: options?.limit })}`);
  }

  /** The maintenance items of the period that contains `at` (default now). */
  getMaintenance(
    period: MaintenancePeriod,
    options?: { at?: string },
  ): Promise<MaintenanceCalendar> {
    return this.#json(`/maintenance${query({ period, at: options?.at })}`);
  }

  /** Ticks a manual maintenance item as done, with a note of what was done. */
  completeMaintenanceItem(id: string, note: string): Promise<MaintenanceItem> {
    return this.#send(
      'POST',
      `/maintenance/items/${encodeURIComponent(id)}/complete`,
      { note },
    );
  }

  /** The service's cert-manager Certificates and TLS Secrets, with expiry and the TLS check. */
  getCertificates(
    entityRef: string | CompoundEntityRef,
  ): Promise<CertificatesResponse> {
    return this.#json(`${entityPath(entityRef)}/certificates`);
  }

  /** Who can do what in the service's namespace, the risky grants and the last review. */
  getAccess(entityRef: string | CompoundEntityRef): Promise<AccessReport> {
    return this.#json(`${entityPath(entityRef)}/access`);
  }

  /** Vulnerability counts and top findings per image the service runs. */
  getVulnerabilities(
    entityRef: string | CompoundEntityRef,
  ): Promise<VulnerabilitiesResponse> {
    return this.#json(`${entityPath(entityRef)}/vulnerabilities`);
  }

  /** Configuration findings from the service's live pod specs. */
  getSecurityFindings(
    entityRef: string | CompoundEntityRef,
  ): Promise<SecurityFindingsResponse> {
    return this.#json(`${entityPath(entityRef)}/security-findings`);
  }

  /**
   * Uploads a `trivy image -f json` report; the image is `options.image`, else the
   * report's `ArtifactName`.
   */
  async uploadVulnerabilityReport(
    report: unknown,
    options?: { image?: string },
  ): Promise<VulnerabilityUploadResult> {
    return this.#send(
      'POST',
      `/vulnerabilities/reports${query({ image: options?.image })}`,
      report,
    );
  }

  /** Expiring certificates, critical vulnerabilities, risky access and stale secrets. */
  getSecurityOverview(): Promise<SecurityOverview> {
    return this.#json('/security/overview');
  }

  async #send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.#request(path, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
    });
    return response.json();
  }

  async #json<T>(path: string, clusterToken?: ClusterToken): Promise<T> {
    const init = clusterToken && {
      headers: {
        [clusterTokenHeader(clusterToken.authProvider)]: clusterToken.token,
      },
    };
    return (await this.#request(path, init)).json();
  }

  async #request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.#discovery.getBaseUrl('runbook');
    const response = await this.#fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function entityPath(entityRef: string | CompoundEntityRef): string {
  const { kind, namespace, name } =
    typeof entityRef === 'string' ? parseEntityRef(entityRef) : entityRef;
  return `/entities/${[kind, namespace, name]
    .map(encodeURIComponent)
    .join('/')}`;
}

function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter(
    (e): e is [string, string | number] => e[1] !== undefined && e[1] !== '',
  );
  return entries.length
    ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}`
    : '';
}
