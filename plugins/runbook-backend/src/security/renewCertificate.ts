import { InputError } from '@backstage/errors';
import {
  ANNOTATION_KUBERNETES_ID,
  ObjectDiff,
} from '@nexus-cos/plugin-runbook-common';
import type {
  PreparedChange,
  RunbookActionExecutor,
  RunbookTarget,
} from '@nexus-cos/plugin-runbook-node';
import { diffObjects } from '../kubernetes/diff';
import {
  ClusterClients,
  KubernetesClients,
  isNotFound,
  patchAs,
  withApiErrors as api,
} from '../kubernetes/KubernetesClients';
import { sleep } from '../kubernetes/rollout';
import { parseTlsData } from './certificates';
import { readSecret } from './rotationSteps';
import type { SecurityInventory } from './SecurityInventory';

const CERTIFICATES = {
  group: 'cert-manager.io',
  version: 'v1',
  plural: 'certificates',
};

/** What `cmctl renew` sets through the status subresource. */
const MANUALLY_TRIGGERED = {
  type: 'Issuing',
  status: 'True',
  reason: 'ManuallyTriggered',
  message: 'Certificate re-issuance manually triggered',
};

type Plan = { revision: number; notAfter?: string };

const conditionsOf = (certificate: any): any[] =>
  certificate.status?.conditions ?? [];

async function readCertificate(
  c: ClusterClients,
  namespace: string,
  name: string,
) {
  try {
    return await c.custom.getNamespacedCustomObject({
      ...CERTIFICATES,
      namespace,
      name,
    });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The service's Certificate, or a 400: it exists and belongs to the service (labelled
 * with its id, or writing a Secret one of its Ingresses names).
 */
async function serviceCertificate(
  c: ClusterClients,
  target: RunbookTarget,
  name: string,
): Promise<any> {
  const { namespace, service } = target;
  const certificate = await api(() => readCertificate(c, namespace, name));
  if (!certificate) {
    const secret = await api(() => readSecret(c, namespace, name));
    throw new InputError(
      secret?.type === 'kubernetes.io/tls'
        ? `certificate: ${name} is a TLS Secret that cert-manager does not manage; replace its certificate by hand`
        : `certificate: there is no cert-manager Certificate ${name} in ${namespace}`,
    );
  }
  if (certificate.metadata?.labels?.[ANNOTATION_KUBERNETES_ID] === service) {
    return certificate;
  }
  const ingresses = await api(() =>
    c.networking.listNamespacedIngress({
      namespace,
      labelSelector: `${ANNOTATION_KUBERNETES_ID}=${service}`,
    }),
  );
  const named = ingresses.items.some(i =>
    (i.spec?.tls ?? []).some(
      t => t.secretName === certificate.spec?.secretName,
    ),
  );
  if (!named) {
    throw new InputError(
      `certificate: ${name} is not a Certificate of ${service} (not labelled ${ANNOTATION_KUBERNETES_ID}=${service}, and none of its Ingresses uses Secret ${certificate.spec?.secretName})`,
    );
  }
  return certificate;
}

async function notAfterOf(
  c: ClusterClients,
  namespace: string,
  secretName: string | undefined,
): Promise<string | undefined> {
  if (!secretName) return undefined;
  const secret = await api(() => readSecret(c, namespace, secretName));
  try {
    return parseTlsData(secret?.data).notAfter;
  } catch {
    return undefined;
  }
}

/** Status with `Issuing=True`/`ManuallyTriggered` in place of any `Issuing` condition. */
const triggered = (certificate: any) => ({
  metadata: { resourceVersion: certificate.metadata?.resourceVersion },
  status: {
    conditions: [
      ...conditionsOf(certificate).filter(cond => cond.type !== 'Issuing'),
      { ...MANUALLY_TRIGGERED, lastTransitionTime: new Date().toISOString() },
    ],
  },
});

/**
 * `renew-certificate`, the way `cmctl renew` does it: `Issuing=True` with reason
 * `ManuallyTriggered` through the status subresource; cert-manager then re-issues and
 * bumps `status.revision`. The run waits for that, then checks that the Secret's
 * certificate expires later than before. A renewal cannot be undone.
 */
export function renewCertificate(deps: {
  clients: KubernetesClients;
  pollIntervalMs: number;
  inventory: SecurityInventory;
}): RunbookActionExecutor<'renew-certificate'> {
  const clients = (t: RunbookTarget) => deps.clients.for(t.cluster);
  const patchStatus = (
    c: ClusterClients,
    namespace: string,
    certificate: any,
    dryRun?: 'All',
  ) =>
    api(() =>
      c.custom.patchNamespacedCustomObjectStatus(
        {
          ...CERTIFICATES,
          namespace,
          name: certificate.metadata.name,
          body: triggered(certificate),
          dryRun,
        },
        patchAs('merge'),
      ),
    );

  return {
    async stage(target, input) {
      await serviceCertificate(clients(target), target, input.certificate);
      return { input, discard: async () => {} };
    },

    async dryRun(target, input): Promise<ObjectDiff[]> {
      const c = clients(target);
      const certificate = await serviceCertificate(
        c,
        target,
        input.certificate,
      );
      const after = await patchStatus(c, target.namespace, certificate, 'All');
      return [
        diffObjects(
          'Certificate',
          input.certificate,
          target.namespace,
          certificate,
          after,
          {
            status: true,
          },
        ),
      ];
    },

    async prepare(target, input, ctx): Promise<PreparedChange> {
      const c = clients(target);
      const certificate = await serviceCertificate(
        c,
        target,
        input.certificate,
      );
      const plan: Plan = {
        revision: certificate.status?.revision ?? 0,
        notAfter: await notAfterOf(
          c,
          target.namespace,
          certificate.spec?.secretName,
        ),
      };
      await ctx.log(
        `Renewing Certificate ${input.certificate} (revision ${
          plan.revision
        }, expires ${plan.notAfter ?? 'unknown'})`,
      );
      return {
        before: {
          certificate: input.certificate,
          revision: plan.revision,
          notAfter: plan.notAfter ?? null,
        },
        undo: null,
        plan,
      };
    },

    async apply(target, input, _prepared, ctx) {
      const c = clients(target);
      const certificate = await serviceCertificate(
        c,
        target,
        input.certificate,
      );
      await patchStatus(c, target.namespace, certificate);
      await ctx.log('Issuing=True (ManuallyTriggered), as cmctl renew sets it');
    },

    async converge(target, input, prepared, ctx) {
      const c = clients(target);
      const plan = prepared.plan as Plan;
      const deadline = Date.now() + ctx.limits.rolloutTimeoutSeconds * 1000;
      let certificate: any;
      for (;;) {
        certificate = await api(() =>
          readCertificate(c, target.namespace, input.certificate),
        );
        if (!certificate)
          throw new Error(`Certificate ${input.certificate} was deleted`);
        const issuing = conditionsOf(certificate).find(
          x => x.type === 'Issuing',
        );
        if ((certificate.status?.revision ?? 0) > plan.revision && !issuing)
          break;
        if (issuing?.status === 'False') {
          throw new Error(
            `cert-manager could not issue ${input.certificate}: ${issuing.reason}: ${issuing.message}`,
          );
        }
        if (Date.now() > deadline) {
          throw new Error(
            `${input.certificate} was not re-issued within ${ctx.limits.rolloutTimeoutSeconds} s`,
          );
        }
        await sleep(deps.pollIntervalMs, ctx.signal);
      }
      const notAfter = await notAfterOf(
        c,
        target.namespace,
        certificate.spec?.secretName,
      );
      if (
        !notAfter ||
        (plan.notAfter && Date.parse(notAfter) <= Date.parse(plan.notAfter))
      ) {
        throw new Error(
          `Revision ${
            certificate.status.revision
          } was issued, but its certificate does not expire later (${
            notAfter ?? 'unreadable'
          })`,
        );
      }
      await ctx.log(
        `Revision ${certificate.status.revision} expires ${notAfter}`,
      );
      await deps.inventory.refresh().catch(() => undefined);
      return {
        after: {
          certificate: input.certificate,
          revision: certificate.status.revision,
          notAfter,
        },
        result: {
          certificate: input.certificate,
          revision: certificate.status.revision,
          previousNotAfter: plan.notAfter ?? null,
          notAfter,
        },
      };
    },

    async undo() {},
  };
}
