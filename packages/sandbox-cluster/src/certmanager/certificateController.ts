import { objectKey, timestamp } from '../api/meta';
import { resourceByKind } from '../api/resources';
import { Controller, ControllerContext } from '../controllers/Controller';
import { deepEqual } from '../store/deepEqual';
import { ChangeEvent, KubeObject } from '../store/types';
import {
  durationOf,
  issuerRefOf,
  privateKeyOf,
  renewalTime,
  requestedNames,
} from './certificateSpec';
import { Condition, getCondition, setCondition } from './conditions';
import {
  CLUSTER_ISSUERS,
  ISSUERS,
  findIssuer,
  issuerReadiness,
  signerOf,
} from './issuers';
import {
  describeKey,
  generateKey,
  importKey,
  keyMatches,
  readCertificate,
  signCertificate,
} from './x509';

const CERTIFICATES = resourceByKind('Certificate');
const SECRETS = resourceByKind('Secret');
const CERTS_KEY = 'cert-manager.io/certificates';

/** Annotations and the label cert-manager puts on the Secrets it writes. */
const CM = {
  certificateName: 'cert-manager.io/certificate-name',
  issuerName: 'cert-manager.io/issuer-name',
  issuerKind: 'cert-manager.io/issuer-kind',
  issuerGroup: 'cert-manager.io/issuer-group',
  commonName: 'cert-manager.io/common-name',
  altNames: 'cert-manager.io/alt-names',
  ipSans: 'cert-manager.io/ip-sans',
  uriSans: 'cert-manager.io/uri-sans',
  emailSans: 'cert-manager.io/email-sans',
  organizations: 'cert-manager.io/subject-organizations',
  controllerLabel: 'controller.cert-manager.io/fao',
};

/** Options of one issuance; seeding backdates some certificates to make them near expiry. */
export interface IssueOptions {
  notBefore?: Date;
}

/** A reason and message, as cert-manager's policy checks return them. */
type Violation = { reason: string; message: string } | undefined;

const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string | undefined) =>
  s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');
/** How Go prints a metav1.Time with %s, as in cert-manager's "Renewing" message. */
const goTime = (iso: string) =>
  `${iso.replace('T', ' ').replace('Z', '')} +0000 UTC`;
/** Go's time.RFC1123 in UTC, as in cert-manager's "Expired" message. */
const rfc1123 = (d: Date) => d.toUTCString().replace('GMT', 'UTC');
// Node timers overflow past about 24.8 days; re-check at least that often.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * cert-manager's certificate controllers in one loop (trigger, issuing, readiness), with
 * the issuer's signing done in-process:
 *
 * - trigger: sets `Issuing=True` when the Secret is missing, incomplete, holds a key that
 *   does not match, was issued by another issuer or for other names, or when
 *   `status.renewalTime` has come (`Renewing`). `cmctl renew` sets it too
 *   (`ManuallyTriggered`, through the status subresource).
 * - issuing: while `Issuing=True` and the issuer is Ready, generates a key (reusing it with
 *   `rotationPolicy: Never`), signs a certificate (self-signed, or by a `ca` issuer's CA),
 *   writes the `kubernetes.io/tls` Secret with cert-manager's annotations, bumps
 *   `status.revision` and removes `Issuing`.
 * - readiness: `Ready` and `notBefore`/`notAfter`/`renewalTime` from the Secret.
 */
export class CertificateController implements Controller {
  readonly name = 'cert-manager-certificates';
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly wakeAt = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {}

  keysFor(event: ChangeEvent): string[] {
    const { object } = event;
    const ns = object.metadata.namespace;
    const select = (
      namespace: string | undefined,
      p: (c: KubeObject) => boolean,
    ) => this.ctx.store.select(CERTS_KEY, namespace, p).map(objectKey);
    if (event.resource === CERTS_KEY)
      return event.type === 'DELETED' ? [] : [objectKey(object)];
    if (event.resource === '/secrets')
      return select(ns, c => c.spec?.secretName === object.metadata.name);
    if (event.resource === ISSUERS || event.resource === CLUSTER_ISSUERS) {
      const kind = object.kind;
      return select(event.resource === ISSUERS ? ns : undefined, c => {
        const ref = issuerRefOf(c);
        return ref.kind === kind && ref.name === object.metadata.name;
      });
    }
    return [];
  }

  reconcile(key: string) {
    if (this.inFlight.has(key)) return;
    const [namespace, name] = key.split('/');
    const cert = this.ctx.store.get(CERTS_KEY, namespace, name);
    if (!cert || cert.metadata.deletionTimestamp) return;
    const secret = this.ctx.store.get(
      '/secrets',
      namespace,
      cert.spec?.secretName ?? '',
    );
    const issuing = getCondition(cert.status?.conditions, 'Issuing');
    if (issuing?.status === 'True') {
      const issuer = findIssuer(this.ctx.store, cert);
      if (issuer && issuerReadiness(this.ctx.store, issuer).status === 'True')
        this.issue(key).catch(() => undefined);
      // Until then the Certificate waits, Ready reflecting the Secret it has.
      this.updateReadiness(cert, secret);
      return;
    }
    const backoff = this.backoffRemaining(cert);
    if (backoff > 0) {
      this.wake(key, Date.now() + backoff);
      this.updateReadiness(cert, secret);
      return;
    }
    const trigger = this.triggerViolation(cert, secret);
    if (trigger) {
      this.setStatus(cert, {
        conditions: setCondition(cert.status?.conditions, {
          type: 'Issuing',
          status: 'True',
          ...trigger,
          observedGeneration: cert.metadata.generation,
        }),
      });
      this.ctx.events.record(
        cert,
        'Normal',
        'Issuing',
        trigger.message,
        'cert-manager-certificates-trigger',
      );
      return;
    }
    this.updateReadiness(cert, secret);
  }

  /**
   * Issues a new certificate for the Certificate `namespace/name` now, whatever its
   * conditions say, and resolves once the Secret and status are written. Seeding uses
   * it, with a backdated `notBefore` for near-expiry certificates.
   */
  issue(key: string, options: IssueOptions = {}): Promise<void> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const done = this.sign(key, options).then(
      result =>
        this.afterTurn(() => {
          this.inFlight.delete(key);
          if (result) this.store(key, result);
        }),
      error =>
        this.afterTurn(() => {
          this.inFlight.delete(key);
          this.fail(key, error);
        }),
    );
    this.inFlight.set(key, done);
    return done;
  }

  /** Runs `fn` on a later turn, where a stopped cluster runs nothing; resolves after it. */
  private afterTurn(fn: () => void) {
    return new Promise<void>(resolve =>
      this.ctx.timers.after(0, () => {
        try {
          fn();
        } finally {
          resolve();
        }
      }),
    );
  }

  private async sign(key: string, options: IssueOptions) {
    const [namespace, name] = key.split('/');
    const cert = this.ctx.store.get(CERTS_KEY, namespace, name);
    if (!cert) return undefined;
    const issuer = findIssuer(this.ctx.store, cert);
    if (!issuer) {
      const ref = issuerRefOf(cert);
      throw new Error(
        `Referenced "${ref.kind}" not found: ${ref.kind.toLowerCase()}.${
          ref.group
        } "${ref.name}" not found`,
      );
    }
    const keySpec = privateKeyOf(cert);
    const existing = this.ctx.store.get(
      '/secrets',
      namespace,
      cert.spec.secretName,
    );
    const existingKey = unb64(existing?.data?.['tls.key']);
    const reuse =
      cert.spec.privateKey?.rotationPolicy === 'Never' &&
      existingKey !== undefined &&
      deepEqual(safeDescribe(existingKey), {
        algorithm: keySpec.algorithm,
        size: keySpec.size,
      });
    const subjectKey = reuse
      ? await importKey(existingKey!)
      : await generateKey(keySpec);
    const signer = await signerOf(this.ctx.store, issuer);
    const notBefore = options.notBefore ?? new Date();
    const notAfter = new Date(notBefore.getTime() + durationOf(cert));
    const certificatePem = await signCertificate(
      { ...requestedNames(cert), notBefore, notAfter },
      subjectKey,
      signer,
    );
    return {
      uid: cert.metadata.uid,
      certificatePem,
      keyPem: subjectKey.pem,
      // Self-signed: the certificate is its own CA.
      caPem: signer?.caPem ?? certificatePem,
    };
  }

  /** Writes the Secret and the status of a finished issuance. */
  private store(
    key: string,
    issued: {
      uid?: string;
      certificatePem: string;
      keyPem: string;
      caPem: string;
    },
  ) {
    const [namespace, name] = key.split('/');
    const cert = this.ctx.store.get(CERTS_KEY, namespace, name);
    // Deleted (or replaced) while signing: nothing to store.
    if (!cert || cert.metadata.uid !== issued.uid) return;
    this.writeSecret(cert, issued);
    const revision = (cert.status?.revision ?? 0) + 1;
    const conditions = (cert.status?.conditions ?? []).filter(
      (c: Condition) => c.type !== 'Issuing',
    );
    const {
      lastFailureTime: _failed,
      failedIssuanceAttempts: _attempts,
      ...status
    } = cert.status ?? {};
    this.setStatus(cert, { ...status, conditions, revision }, true);
    this.ctx.events.record(
      cert,
      'Normal',
      'Issuing',
      'The certificate has been successfully issued',
      'cert-manager-certificates-issuing',
    );
    const after = this.ctx.store.get(CERTS_KEY, namespace, name)!;
    this.updateReadiness(
      after,
      this.ctx.store.get('/secrets', namespace, cert.spec.secretName),
    );
  }

  private writeSecret(
    cert: KubeObject,
    issued: { certificatePem: string; keyPem: string; caPem: string },
  ) {
    const namespace = cert.metadata.namespace!;
    const secretName = cert.spec.secretName;
    const existing = this.ctx.store.get('/secrets', namespace, secretName);
    const ref = cert.spec.issuerRef ?? {};
    const names = requestedNames(cert);
    const template = cert.spec.secretTemplate ?? {};
    const parsed = readCertificate(issued.certificatePem);
    const annotations: Record<string, string> = {
      ...existing?.metadata.annotations,
      ...template.annotations,
      [CM.commonName]: names.commonName ?? '',
      [CM.altNames]: parsed.dnsNames.join(','),
      [CM.ipSans]: names.ipAddresses.join(','),
      [CM.uriSans]: names.uris.join(','),
      ...(names.emailAddresses.length
        ? { [CM.emailSans]: names.emailAddresses.join(',') }
        : {}),
      ...(names.organizations.length
        ? { [CM.organizations]: names.organizations.join(',') }
        : {}),
      [CM.certificateName]: cert.metadata.name,
      [CM.issuerName]: ref.name ?? '',
      [CM.issuerKind]: ref.kind ?? '',
      [CM.issuerGroup]: ref.group ?? '',
    };
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        ...(existing?.metadata ?? {}),
        name: secretName,
        namespace,
        labels: {
          ...existing?.metadata.labels,
          ...template.labels,
          [CM.controllerLabel]: 'true',
        },
        annotations,
      },
      type: 'kubernetes.io/tls',
      data: {
        ...existing?.data,
        'tls.crt': b64(issued.certificatePem),
        'tls.key': b64(issued.keyPem),
        'ca.crt': b64(issued.caPem),
      },
    };
    if (existing) this.ctx.ops.update(SECRETS, namespace, secretName, secret);
    else this.ctx.ops.create(SECRETS, namespace, secret);
  }

  /** A failed issuance: `Issuing=False`, a failure time, and a back-off before the next try. */
  private fail(key: string, error: unknown) {
    const [namespace, name] = key.split('/');
    const cert = this.ctx.store.get(CERTS_KEY, namespace, name);
    if (!cert) return;
    const message = `The certificate request has failed to complete and will be retried: ${
      (error as Error)?.message ?? error
    }`;
    this.setStatus(cert, {
      lastFailureTime: timestamp(),
      failedIssuanceAttempts: (cert.status?.failedIssuanceAttempts ?? 0) + 1,
      conditions: setCondition(cert.status?.conditions, {
        type: 'Issuing',
        status: 'False',
        reason: 'Failed',
        message,
        observedGeneration: cert.metadata.generation,
      }),
    });
    this.ctx.events.record(
      cert,
      'Warning',
      'Failed',
      message,
      'cert-manager-certificates-issuing',
    );
  }

  /** Time left before a failed Certificate may be tried again (doubling, capped at an hour). */
  private backoffRemaining(cert: KubeObject) {
    const failed = cert.status?.lastFailureTime;
    if (!failed) return 0;
    const attempts = Math.max(1, cert.status?.failedIssuanceAttempts ?? 1);
    const delay = Math.min(
      this.ctx.timings.resyncMs * 2 ** (attempts - 1),
      3_600_000,
    );
    return Date.parse(failed) + delay - Date.now();
  }

  /** cert-manager's trigger policy chain: why a Certificate needs a (new) certificate. */
  private triggerViolation(
    cert: KubeObject,
    secret: KubeObject | undefined,
  ): Violation {
    const secretProblem = this.secretViolation(cert, secret, 'trigger');
    if (secretProblem) return secretProblem;
    const renewal = cert.status?.renewalTime;
    if (renewal && Date.parse(renewal) <= Date.now()) {
      return {
        reason: 'Renewing',
        message: `Renewing certificate as renewal was scheduled at ${goTime(
          renewal,
        )}`,
      };
    }
    return undefined;
  }

  /**
   * The checks trigger and readiness share: the Secret exists, holds a key pair that
   * matches, was issued for this Certificate by its issuer, and fits the spec.
   */
  private secretViolation(
    cert: KubeObject,
    secret: KubeObject | undefined,
    chain: 'trigger' | 'readiness',
  ): Violation {
    if (!secret)
      return {
        reason: 'DoesNotExist',
        message: 'Issuing certificate as Secret does not exist',
      };
    const crt = unb64(secret.data?.['tls.crt']);
    const key = unb64(secret.data?.['tls.key']);
    if (!secret.data || Object.keys(secret.data).length === 0)
      return {
        reason: 'MissingData',
        message: 'Issuing certificate as Secret does not contain any data',
      };
    if (!key)
      return {
        reason: 'MissingData',
        message: 'Issuing certificate as Secret does not contain a private key',
      };
    if (!crt)
      return {
        reason: 'MissingData',
        message: 'Issuing certificate as Secret does not contain a certificate',
      };
    let parsed: ReturnType<typeof readCertificate>;
    try {
      parsed = readCertificate(crt);
    } catch (error) {
      return {
        reason: 'InvalidCertificate',
        message: `Issuing certificate as Secret contains an invalid certificate: ${
          (error as Error).message
        }`,
      };
    }
    if (!keyMatches(crt, key))
      return {
        reason: 'InvalidKeyPair',
        message:
          'Issuing certificate as Secret contains a private key that does not match the certificate',
      };
    const annotations = secret.metadata.annotations ?? {};
    const ref = issuerRefOf(cert);
    const stored = {
      name: annotations[CM.issuerName] ?? '',
      kind: annotations[CM.issuerKind] || 'Issuer',
      group: annotations[CM.issuerGroup] || 'cert-manager.io',
    };
    // The name counts only once some issuer annotation is there; kind and group always.
    const annotated = [CM.issuerName, CM.issuerKind, CM.issuerGroup].some(
      k => k in annotations,
    );
    if (
      (annotated && stored.name !== ref.name) ||
      stored.kind !== ref.kind ||
      stored.group !== ref.group
    )
      return {
        reason: 'IncorrectIssuer',
        message: `Issuing certificate as Secret was previously issued by "${stored.kind}.${stored.group}/${stored.name}"`,
      };
    const owner = annotations[CM.certificateName];
    if (owner !== undefined && owner !== cert.metadata.name)
      return {
        reason: 'IncorrectCertificate',
        message: `Secret was issued for "${owner}". If this message is not transient, you might have two conflicting Certificates pointing to the same secret.`,
      };
    const keySpec = privateKeyOf(cert);
    const actualKey = safeDescribe(key);
    const keyMismatch = [
      actualKey.algorithm !== keySpec.algorithm && 'spec.privateKey.algorithm',
      actualKey.algorithm === keySpec.algorithm &&
        actualKey.size !== keySpec.size &&
        'spec.privateKey.size',
    ].filter(Boolean);
    if (keyMismatch.length)
      return {
        reason: 'SecretMismatch',
        message: `Existing private key is not up to date for spec: [${keyMismatch.join(
          ' ',
        )}]`,
      };
    const names = requestedNames(cert);
    const sameSet = (a: string[], b: string[]) =>
      deepEqual([...a].sort(), [...b].sort());
    const subjectCn = /(?:^|\n)CN=([^\n]*)/.exec(parsed.certificate.subject);
    const specMismatch = [
      !sameSet(parsed.dnsNames, names.dnsNames) && 'spec.dnsNames',
      (subjectCn?.[1] ?? '') !== (names.commonName ?? '') && 'spec.commonName',
      parsed.isCA !== names.isCA && 'spec.isCA',
    ].filter(Boolean);
    if (specMismatch.length)
      return {
        reason: 'SecretMismatch',
        message: `Issuing certificate as Existing issued Secret is not up to date for spec: [${specMismatch.join(
          ' ',
        )}]`,
      };
    if (chain === 'readiness' && parsed.notAfter.getTime() <= Date.now())
      return {
        reason: 'Expired',
        message: `Certificate expired on ${rfc1123(parsed.notAfter)}`,
      };
    return undefined;
  }

  /** The readiness controller: `Ready`, and the validity times of the Secret's certificate. */
  private updateReadiness(cert: KubeObject, secret: KubeObject | undefined) {
    const problem = this.secretViolation(cert, secret, 'readiness');
    const conditions = setCondition(cert.status?.conditions, {
      type: 'Ready',
      status: problem ? 'False' : 'True',
      reason: problem?.reason ?? 'Ready',
      message:
        problem?.message ?? 'Certificate is up to date and has not expired',
      observedGeneration: cert.metadata.generation,
    });
    const {
      notBefore: _nb,
      notAfter: _na,
      renewalTime: _rt,
      ...rest
    } = cert.status ?? {};
    const status: Record<string, unknown> = { ...rest, conditions };
    const crt = unb64(secret?.data?.['tls.crt']);
    let parsed: ReturnType<typeof readCertificate> | undefined;
    try {
      parsed = crt ? readCertificate(crt) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed) {
      const renew = renewalTime(cert, parsed.notBefore, parsed.notAfter);
      status.notBefore = timestamp(parsed.notBefore.getTime());
      status.notAfter = timestamp(parsed.notAfter.getTime());
      status.renewalTime = timestamp(renew.getTime());
      // The trigger looks again at renewal time, and readiness at expiry.
      const next = [renew.getTime(), parsed.notAfter.getTime()].find(
        t => t > Date.now(),
      );
      if (next !== undefined) this.wake(objectKey(cert), next);
    }
    this.setStatus(cert, status, true);
  }

  /** Writes status through the subresource, unless nothing changed. */
  private setStatus(
    cert: KubeObject,
    status: Record<string, unknown>,
    replace = false,
  ) {
    const next = replace ? status : { ...cert.status, ...status };
    if (deepEqual(next, cert.status ?? {})) return;
    this.ctx.ops.update(
      CERTIFICATES,
      cert.metadata.namespace!,
      cert.metadata.name,
      { ...cert, status: next },
      { subresource: 'status' },
    );
  }

  /** Reconciles `key` again at `at` (one pending wake-up per key, the earliest). */
  private wake(key: string, at: number) {
    const pending = this.wakeAt.get(key);
    if (pending !== undefined && pending <= at && pending > Date.now()) return;
    this.wakeAt.set(key, at);
    const delay = Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS);
    this.ctx.timers.after(delay, () => {
      if (this.wakeAt.get(key) === at) this.wakeAt.delete(key);
      this.ctx.enqueue(this.name, key);
    });
  }
}

function safeDescribe(pem: string) {
  try {
    return describeKey(pem);
  } catch {
    return { algorithm: 'unknown', size: 0 };
  }
}
