import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
  AccessReport,
  CertificateItem,
  CertificatesResponse,
  FINDING_SEVERITIES,
  FindingSeverity,
  ImageVulnerabilities,
  SecurityFindingsResponse,
  SecurityOverview,
  VulnerabilitiesResponse,
  VulnerabilityUploadResult,
  imageSchema,
  runbookSecurityReadPermission,
  runbookVulnerabilityUploadPermission,
  trivyReportSchema,
} from '@nexus-cos/plugin-runbook-common';
import type { AuditTrail } from '../audit/AuditTrail';
import type { SecuritySignals } from '../health/deriveHealth';
import { actorOf } from '../http/credentials';
import { accessReport } from './access';
import type { AccessReviewStore } from './AccessReviewStore';
import { certificateItems } from './certificates';
import type { SecurityConfig } from './config';
import { configFindings } from './configFindings';
import {
  ROTATED_AT_ANNOTATION,
  ROTATION_ROLE_LABEL,
  usesSecret,
} from './rotationSteps';
import type {
  SecurityInventory,
  SecuritySnapshot,
  ServiceRef,
} from './SecurityInventory';
import {
  normalizeImage,
  operatorVulnerabilities,
  serviceDeployments,
  serviceImages,
  summarizeTrivyReport,
} from './vulnerabilities';
import type { VulnerabilityUploadStore } from './VulnerabilityUploadStore';

const DAY_MS = 86_400_000;

/** A certificate that needs renewing, for maintenance checks. */
export type ExpiringCertificate = ServiceRef & {
  certificate: CertificateItem;
};

/** An image above the CRITICAL threshold, for maintenance checks. */
export type CriticalImage = ServiceRef & {
  vulnerabilities: ImageVulnerabilities;
};

type Service = ServiceRef & { entityRef: string };

function serviceOf(entity: Entity): Service {
  const annotations = entity.metadata.annotations ?? {};
  const entityRef = stringifyEntityRef(entity);
  const service = annotations[ANNOTATION_KUBERNETES_ID];
  if (!service) {
    throw new NotFoundError(
      `${entityRef} has no security view: it lacks the ${ANNOTATION_KUBERNETES_ID} annotation`,
    );
  }
  return {
    entityRef,
    service,
    namespace: annotations[ANNOTATION_KUBERNETES_NAMESPACE] ?? 'default',
  };
}

const countBySeverity = (severities: FindingSeverity[]) =>
  Object.fromEntries(
    FINDING_SEVERITIES.map(s => [s, severities.filter(x => x === s).length]),
  ) as Record<FindingSeverity, number>;

/**
 * The security reads of the service page and the overview, from the cluster sweep
 * (never a cluster request per view) and the plugin's database, with their
 * authorization: `runbook.security.read` on the entity, `runbook.vulnerability.upload`
 * to upload. Health and maintenance checks use {@link SecurityService.signals},
 * {@link SecurityService.expiringCertificates} and
 * {@link SecurityService.criticalVulnerabilities}.
 */
export class SecurityService {
  #uploads = new Map<string, ImageVulnerabilities>();

  constructor(
    private readonly o: {
      catalog: CatalogService;
      permissions: PermissionsService;
      audit: AuditTrail;
      inventory: SecurityInventory;
      reviews: AccessReviewStore;
      uploads: VulnerabilityUploadStore;
      config: SecurityConfig;
      now?: () => number;
    },
  ) {}

  #now() {
    return this.o.now?.() ?? Date.now();
  }

  async certificates(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<CertificatesResponse> {
    const service = await this.#readable(ref, credentials);
    const snapshot = await this.o.inventory.current();
    return {
      items: certificateItems(
        snapshot,
        service,
        this.#now(),
        this.o.config.certificateWarningDays,
      ),
      warningDays: this.o.config.certificateWarningDays,
      observedAt: snapshot.observedAt,
    };
  }

  async access(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<AccessReport> {
    const service = await this.#readable(ref, credentials);
    const snapshot = await this.o.inventory.current();
    const reviews = await this.o.reviews.latest(snapshot.cluster);
    return accessReport(
      snapshot,
      service.namespace,
      reviews.get(service.namespace),
      this.o.config.reviewMaxAgeDays,
      this.#now(),
    );
  }

  async vulnerabilities(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<VulnerabilitiesResponse> {
    const service = await this.#readable(ref, credentials);
    const snapshot = await this.o.inventory.current();
    return {
      images: [
        ...operatorVulnerabilities(snapshot, service),
        ...(await this.o.uploads.latest(serviceImages(snapshot, service))),
      ].sort(
        (a, b) =>
          a.image.localeCompare(b.image) || a.source.localeCompare(b.source),
      ),
      observedAt: snapshot.observedAt,
    };
  }

  async findings(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<SecurityFindingsResponse> {
    const service = await this.#readable(ref, credentials);
    const snapshot = await this.o.inventory.current();
    return {
      items: configFindings(snapshot, service),
      observedAt: snapshot.observedAt,
    };
  }

  /**
   * Stores a `trivy image -f json` report's counts and top findings for its image
   * (`image`, else the report's `ArtifactName`). Service tokens may do this: it is the
   * one thing a CI token limited to `runbook.vulnerability.upload` can.
   */
  async upload(
    body: unknown,
    image: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<VulnerabilityUploadResult> {
    const [decision] = await this.o.permissions.authorize(
      [{ permission: runbookVulnerabilityUploadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not upload vulnerability reports (${runbookVulnerabilityUploadPermission.name})`,
      );
    }
    const parsed = trivyReportSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        `${['report', ...issue.path.map(String)].join('.')}: ${issue.message}`,
      );
    }
    const named = image ?? parsed.data.ArtifactName;
    if (!named) {
      throw new InputError(
        'image: the report has no ArtifactName; name the image with ?image=',
      );
    }
    const valid = imageSchema.safeParse(named);
    if (!valid.success) {
      throw new InputError(`image: ${valid.error.issues[0].message}`);
    }
    const normalized = normalizeImage(named);
    const { counts, top } = summarizeTrivyReport(parsed.data);
    const at = this.#now();
    const scannedAt = parsed.data.CreatedAt
      ? Date.parse(parsed.data.CreatedAt)
      : at;
    await this.o.uploads.add({
      image: normalized,
      by: actorOf(credentials),
      at,
      scannedAt,
      counts,
      top,
    });
    this.#uploads.set(normalized, {
      image: normalized,
      source: 'upload',
      scannedAt: new Date(scannedAt).toISOString(),
      counts,
      top,
    });
    const entityRefs = await this.#entitiesRunning(normalized, credentials);
    for (const entityRef of entityRefs.length
      ? entityRefs
      : [`image:${normalized}`]) {
      await this.o.audit.record({
        event: 'succeeded',
        actor: actorOf(credentials),
        entityRef,
        action: 'vulnerability-upload',
        outcome: 'stored',
        params: { image: normalized },
        summary: { counts },
      });
    }
    return { image: normalized, counts };
  }

  /** Expiring certificates, criticals, risky or unreviewed access, stale rotations. */
  async overview(credentials: BackstageCredentials): Promise<SecurityOverview> {
    const services = await this.#services(credentials);
    const decisions = services.length
      ? await this.o.permissions.authorize(
          services.map(s => ({
            permission: runbookSecurityReadPermission,
            resourceRef: s.entityRef,
          })),
          { credentials },
        )
      : [];
    const readable = services.filter(
      (_, i) => decisions[i].result === AuthorizeResult.ALLOW,
    );
    const snapshot = await this.o.inventory.current();
    const now = this.#now();
    const { config } = this.o;
    const reviews = await this.o.reviews.latest(snapshot.cluster);
    const overview: SecurityOverview = {
      generatedAt: new Date(now).toISOString(),
      observedAt: snapshot.observedAt,
      certificates: [],
      vulnerabilities: [],
      access: [],
      rotations: [],
      thresholds: {
        certificateWarningDays: config.certificateWarningDays,
        criticalVulnerabilities: config.criticalVulnerabilities,
        reviewMaxAgeDays: config.reviewMaxAgeDays,
        rotationMaxAgeDays: config.rotationMaxAgeDays,
      },
      hidden: services.length - readable.length,
    };
    const namespaces = new Map<string, string[]>();
    for (const s of readable) {
      for (const c of certificateItems(
        snapshot,
        s,
        now,
        config.certificateWarningDays,
      )) {
        if (c.status === 'ok') continue;
        overview.certificates.push({
          entityRef: s.entityRef,
          name: c.name,
          namespace: c.namespace,
          secretName: c.secretName,
          ...(c.notAfter ? { notAfter: c.notAfter, daysLeft: c.daysLeft } : {}),
          status: c.status,
        });
      }
      for (const v of this.#imagesOf(snapshot, s)) {
        if (v.counts.CRITICAL > 0) {
          overview.vulnerabilities.push({
            entityRef: s.entityRef,
            image: v.image,
            source: v.source,
            scannedAt: v.scannedAt,
            counts: v.counts,
          });
        }
      }
      namespaces.set(s.namespace, [
        ...(namespaces.get(s.namespace) ?? []),
        s.entityRef,
      ]);
      overview.rotations.push(...this.#staleSecrets(snapshot, s, now));
    }
    for (const [namespace, entityRefs] of [...namespaces].sort()) {
      const review = reviews.get(namespace);
      const report = accessReport(
        snapshot,
        namespace,
        review,
        config.reviewMaxAgeDays,
        now,
      );
      const reviewOverdue =
        !review || report.findings.some(f => f.code === 'review-overdue');
      const risky = report.findings.filter(f => f.code !== 'review-overdue');
      if (!risky.length && !reviewOverdue) continue;
      overview.access.push({
        namespace,
        entityRefs: entityRefs.sort(),
        findings: countBySeverity(risky.map(f => f.severity)),
        ...(review ? { review: { at: review.at, by: review.by } } : {}),
        reviewOverdue,
      });
    }
    overview.certificates.sort(
      (a, b) => (a.daysLeft ?? -1e9) - (b.daysLeft ?? -1e9),
    );
    overview.vulnerabilities.sort(
      (a, b) => b.counts.CRITICAL - a.counts.CRITICAL,
    );
    overview.rotations.sort((a, b) => b.ageDays - a.ageDays);
    return overview;
  }

  /**
   * What health shows for one service, from the last sweep and uploads; undefined
   * before the first sweep. Never reaches the cluster.
   */
  signals(ref: ServiceRef): SecuritySignals | undefined {
    const snapshot = this.o.inventory.cached();
    if (!snapshot) return undefined;
    const { config } = this.o;
    return {
      certificates: certificateItems(
        snapshot,
        ref,
        this.#now(),
        config.certificateWarningDays,
      )
        .filter(c => c.status === 'warning' || c.status === 'expired')
        .map(({ name, daysLeft, status }) => ({ name, daysLeft, status })),
      vulnerabilities: this.#imagesOf(snapshot, ref)
        .filter(v => v.counts.CRITICAL > config.criticalVulnerabilities)
        .map(v => ({ image: v.image, critical: v.counts.CRITICAL })),
      criticalThreshold: config.criticalVulnerabilities,
      warningDays: config.certificateWarningDays,
    };
  }

  /**
   * Every certificate of every service below the warning threshold or expired, from the
   * last sweep: for a maintenance check. Services are named by namespace and
   * `backstage.io/kubernetes-id`; no permission is checked.
   */
  async expiringCertificates(): Promise<ExpiringCertificate[]> {
    const snapshot = await this.o.inventory.current();
    return this.#clusterServices(snapshot).flatMap(ref =>
      certificateItems(
        snapshot,
        ref,
        this.#now(),
        this.o.config.certificateWarningDays,
      )
        .filter(c => c.status !== 'ok')
        .map(certificate => ({ ...ref, certificate })),
    );
  }

  /** Every image of every service with more CRITICAL findings than the threshold: for a maintenance check. */
  async criticalVulnerabilities(): Promise<CriticalImage[]> {
    const snapshot = await this.o.inventory.current();
    return this.#clusterServices(snapshot).flatMap(ref =>
      this.#imagesOf(snapshot, ref)
        .filter(v => v.counts.CRITICAL > this.o.config.criticalVulnerabilities)
        .map(vulnerabilities => ({ ...ref, vulnerabilities })),
    );
  }

  /** Reloads the newest upload of every image (other replicas' uploads too). */
  async reloadUploads(): Promise<void> {
    const snapshot = this.o.inventory.cached();
    if (!snapshot) return;
    const images = [
      ...new Set(
        this.#clusterServices(snapshot).flatMap(ref =>
          serviceImages(snapshot, ref),
        ),
      ),
    ];
    const latest = await this.o.uploads.latest(images);
    this.#uploads = new Map(latest.map(u => [u.image, u]));
  }

  #imagesOf(
    snapshot: SecuritySnapshot,
    ref: ServiceRef,
  ): ImageVulnerabilities[] {
    return [
      ...operatorVulnerabilities(snapshot, ref),
      ...serviceImages(snapshot, ref)
        .map(image => this.#uploads.get(image))
        .filter((u): u is ImageVulnerabilities => Boolean(u)),
    ];
  }

  /** Every service the sweep found: `backstage.io/kubernetes-id` of a Deployment, by namespace. */
  #clusterServices(snapshot: SecuritySnapshot): ServiceRef[] {
    const seen = new Map<string, ServiceRef>();
    for (const d of snapshot.deployments) {
      const service = d.metadata?.labels?.[ANNOTATION_KUBERNETES_ID];
      const namespace = d.metadata?.namespace;
      if (service && namespace)
        seen.set(`${namespace}/${service}`, { namespace, service });
    }
    return [...seen.keys()].sort().map(key => seen.get(key)!);
  }

  #staleSecrets(snapshot: SecuritySnapshot, s: Service, now: number) {
    const deployments = serviceDeployments(snapshot, s);
    return snapshot.secrets
      .filter(
        secret =>
          secret.namespace === s.namespace &&
          (secret.type ?? 'Opaque') === 'Opaque' &&
          !secret.labels[ROTATION_ROLE_LABEL] &&
          (secret.labels[ANNOTATION_KUBERNETES_ID] === s.service ||
            deployments.some(d =>
              usesSecret(d.spec?.template?.spec, secret.name),
            )),
      )
      .flatMap(secret => {
        const rotatedAt = secret.annotations[ROTATED_AT_ANNOTATION];
        const since = rotatedAt ?? secret.createdAt;
        if (!since) return [];
        const ageDays = Math.floor((now - Date.parse(since)) / DAY_MS);
        return ageDays > this.o.config.rotationMaxAgeDays
          ? [
              {
                entityRef: s.entityRef,
                namespace: s.namespace,
                secret: secret.name,
                since,
                rotated: Boolean(rotatedAt),
                ageDays,
              },
            ]
          : [];
      });
  }

  async #services(credentials: BackstageCredentials): Promise<Service[]> {
    const { items } = await this.o.catalog.getEntities(
      {
        filter: {
          kind: 'component',
          [`metadata.annotations.${ANNOTATION_KUBERNETES_ID}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials },
    );
    return items
      .map(serviceOf)
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }

  async #entitiesRunning(image: string, credentials: BackstageCredentials) {
    const snapshot = this.o.inventory.cached();
    if (!snapshot) return [];
    const services = await this.#services(credentials);
    return services
      .filter(s => serviceImages(snapshot, s).includes(image))
      .map(s => s.entityRef);
  }

  /** The entity's service, if the caller may read its security state. */
  async #readable(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Service> {
    const entity = await this.o.catalog.getEntityByRef(ref, { credentials });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(ref)} in the catalog`,
      );
    }
    const service = serviceOf(entity);
    const [decision] = await this.o.permissions.authorize(
      [
        {
          permission: runbookSecurityReadPermission,
          resourceRef: service.entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not read the security state of ${service.entityRef} (${runbookSecurityReadPermission.name})`,
      );
    }
    return service;
  }
}
