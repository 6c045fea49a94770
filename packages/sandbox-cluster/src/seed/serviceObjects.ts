import { KubeObject } from '../store/types';
import { CatalogService } from './readCatalog';

/** Image tag of every seeded Deployment. */
export const SEED_IMAGE_TAG = '1.0.0';

/**
 * The objects one service has in one namespace: the blue Deployment, the Service that
 * selects the live colour (blue), a ConfigMap and a Secret.
 */
export function serviceObjects(
  svc: CatalogService,
  namespace: string,
  replicas: number,
  progressDeadlineSeconds: number,
): KubeObject[] {
  const id = svc.id;
  const appLabels = {
    app: id,
    version: 'blue',
    'backstage.io/kubernetes-id': id,
  };
  const meta = (name: string, labels: Record<string, string>) => ({
    name,
    namespace,
    labels,
  });
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(id, appLabels),
    spec: {
      replicas,
      selector: { matchLabels: { app: id, version: 'blue' } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds,
      template: {
        metadata: { labels: appLabels },
        spec: {
          containers: [
            {
              name: id,
              image: `${svc.imageRepository}:${SEED_IMAGE_TAG}`,
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              env: [
                { name: 'SERVICE_NAME', value: id },
                {
                  name: 'DATABASE_PASSWORD',
                  valueFrom: {
                    secretKeyRef: {
                      name: `${id}-secrets`,
                      key: 'DATABASE_PASSWORD',
                    },
                  },
                },
              ],
              envFrom: [{ configMapRef: { name: `${id}-config` } }],
              resources: {
                requests: { cpu: '250m', memory: '256Mi' },
                limits: { cpu: '500m', memory: '512Mi' },
              },
              readinessProbe: {
                httpGet: { path: '/healthz', port: 8080 },
                initialDelaySeconds: 5,
                periodSeconds: 10,
              },
            },
          ],
        },
      },
    },
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(id, { app: id, 'backstage.io/kubernetes-id': id }),
    spec: {
      type: 'ClusterIP',
      selector: { app: id, version: 'blue' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  };
  const configMap: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(`${id}-config`, {
      app: id,
      'backstage.io/kubernetes-id': id,
    }),
    data: {
      SERVICE_NAME: id,
      LOG_LEVEL: 'info',
      PORT: '8080',
      NAMESPACE: namespace,
    },
  };
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const secret: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(`${id}-secrets`, {
      app: id,
      'backstage.io/kubernetes-id': id,
    }),
    type: 'Opaque',
    data: {
      DATABASE_PASSWORD: b64(`sandbox-${id}-db-password`),
      API_KEY: b64(`sandbox-${id}-api-key`),
    },
  };
  return [deployment, service, configMap, secret];
}
