import { SandboxCluster } from '../startSandboxCluster';
import { kubectlFor } from './kubectlRunner';
import { eventually, setLoadInReplicas, startTestCluster } from './testCluster';

/** The runbook's "Configure HPA" and "Monitor Autoscaling" steps, with the real kubectl. */
jest.setTimeout(120_000);

const NS = 'nexus-shop';
// The runbook's HPA, for checkout (3 replicas seeded, 250m CPU requested per pod).
const HPA = `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: checkout-hpa
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: checkout
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 70
`;

describe('the HPA controller', () => {
  let cluster: SandboxCluster;
  let k: ReturnType<typeof kubectlFor>;
  const replicas = async () =>
    JSON.parse(
      await k.ok(['-n', NS, 'get', 'deployment/checkout', '-o', 'json']),
    ).spec.replicas;

  beforeAll(async () => {
    cluster = await startTestCluster();
    k = kubectlFor(cluster);
    await cluster.waitForRollouts();
  });
  afterAll(async () => {
    await cluster.stop();
    k.cleanup();
  });

  it('scales a Deployment up under load and back down, as get and describe show', async () => {
    // Three pods at 80% of their 500m limit use 160% of their 250m request: above the
    // 70% target whatever the hour.
    setLoadInReplicas(cluster, NS, 'checkout', 2.4);
    await k.ok(['-n', NS, 'apply', '-f', '-'], HPA);

    await eventually(
      async () => expect(await replicas()).toBeGreaterThan(3),
      60_000,
    );
    const table = await k.ok(['-n', NS, 'get', 'hpa']);
    expect(table.split('\n')[0].split(/\s+/).filter(Boolean)).toEqual([
      'NAME',
      'REFERENCE',
      'TARGETS',
      'MINPODS',
      'MAXPODS',
      'REPLICAS',
      'AGE',
    ]);
    expect(table).toMatch(
      /^checkout-hpa\s+Deployment\/checkout\s+cpu: \d+%\/70%\s+2\s+10\s+\d+/m,
    );

    const described = await k.ok(['-n', NS, 'describe', 'hpa', 'checkout-hpa']);
    expect(described).toMatch(
      /resource cpu on pods\s+\(as a percentage of request\):\s+\d+% \(\d+m\) \/ 70%/,
    );
    expect(described).toMatch(/ScalingActive\s+True\s+ValidMetricFound/);
    expect(described).toMatch(
      /SuccessfulRescale\s+.*New size: \d+; reason: cpu resource utilization \(percentage of request\) above target/,
    );

    // A fifth of one pod's capacity: two pods would use a fifth of their requests.
    setLoadInReplicas(cluster, NS, 'checkout', 0.2);
    await eventually(async () => expect(await replicas()).toBe(2), 60_000);
    expect(await k.ok(['-n', NS, 'describe', 'hpa', 'checkout-hpa'])).toMatch(
      /New size: 2; reason: All metrics below target/,
    );
  });

  it('brings a Deployment below its minimum up to it, saying why', async () => {
    // Light load, so the minimum is the only reason to scale.
    setLoadInReplicas(cluster, NS, 'cart', 0.1);
    await k.ok(['-n', NS, 'scale', 'deployment/cart', '--replicas=1']);
    await k.ok(
      ['-n', NS, 'apply', '-f', '-'],
      HPA.replace(/checkout/g, 'cart'),
    );
    await eventually(async () => {
      expect(
        JSON.parse(
          await k.ok(['-n', NS, 'get', 'deployment/cart', '-o', 'json']),
        ).spec.replicas,
      ).toBe(2);
      expect(await k.ok(['-n', NS, 'describe', 'hpa', 'cart-hpa'])).toMatch(
        /New size: 2; reason: Current number of replicas below Spec.MinReplicas/,
      );
    });
  });

  it('reports a missing target in its conditions and events', async () => {
    await k.ok(
      ['-n', NS, 'apply', '-f', '-'],
      HPA.replace(/checkout/g, 'ghost'),
    );
    await eventually(async () => {
      const described = await k.ok(['-n', NS, 'describe', 'hpa', 'ghost-hpa']);
      expect(described).toMatch(/AbleToScale\s+False\s+FailedGetScale/);
      expect(described).toMatch(/deployments "ghost" not found/);
    });
  });
});
