import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Entity } from '@backstage/catalog-model';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AddressInfo } from 'node:net';
import { startSeededSandbox } from '../__testUtils__/sandbox';
import {
  AUDITOR,
  OWNER,
  STRANGER,
  as,
  component,
  startRunbookBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const NS = 'nexus-mcp';
const SERVICE = component('mcp-svc', {
  'backstage.io/kubernetes-namespace': NS,
  'nexus-cos.io/replicas': '1-6',
});
const PROD = component(
  'mcp-prod',
  { 'backstage.io/kubernetes-namespace': NS, 'nexus-cos.io/replicas': '2-6' },
  { lifecycle: 'production' },
);
const person = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name },
  spec: { profile: { email: `${name}@nexus-cos.example` }, memberOf: [] },
});
const TEAM: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'team-a',
    // One member: whoever is on call does not depend on the hour the test runs.
    annotations: {
      'nexus-cos.io/oncall-rotation': 'alice',
      'nexus-cos.io/oncall-start': '2026-01-05',
      'nexus-cos.io/oncall-handover': '09:00',
      'nexus-cos.io/oncall-period': 'P1W',
      'nexus-cos.io/oncall-timezone': 'Europe/Berlin',
    },
  },
  spec: { type: 'team', children: [] },
};

/** What a tool call gives back: its output, or the error text the server reports. */
type ToolResult = {
  isError?: boolean;
  content: any[];
  structuredContent?: any;
};

describe('runbook tools for MCP clients, through the real mcp-actions backend', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let sandbox: Awaited<ReturnType<typeof startSeededSandbox>>;
  let started: Awaited<ReturnType<typeof startRunbookBackend>>;
  let mcpUrl: URL;

  beforeAll(async () => {
    sandbox = await startSeededSandbox([SERVICE, PROD]);
    started = await startRunbookBackend({
      knex: await databases.init('SQLITE_3'),
      entities: [SERVICE, PROD, TEAM, person('alice'), person('bob')],
      clusterUrl: sandbox.url,
      rootConfig: { backend: { actions: { pluginSources: ['runbook'] } } },
      features: [mcpActionsPlugin],
    });
    const { port } = started.backend.server.address() as AddressInfo;
    mcpUrl = new URL(`http://127.0.0.1:${port}/api/mcp-actions/v1`);
  });
  afterAll(async () => {
    await started?.backend.stop();
    await sandbox?.stop();
  });

  /** An MCP client that sends this Authorization header, as an assistant would. */
  async function connect(authorization: string) {
    const client = new Client({ name: 'runbook-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(mcpUrl, {
        requestInit: { headers: { Authorization: authorization } },
      }),
    );
    return client;
  }

  const call = async (
    client: Client,
    name: string,
    args: Record<string, unknown>,
  ) => (await client.callTool({ name, arguments: args })) as ToolResult;

  const auditRows = async (query: string) =>
    (await started.http.get(`/api/runbook/audit?${query}`).set(as(AUDITOR)))
      .body.items as Array<{ event: string; actor: string; outcome: string }>;

  it('lists every runbook action and the reads, with their input schemas', async () => {
    const client = await connect(mockCredentials.user.header(OWNER));
    const { tools } = await client.listTools();
    const names = tools.map(t => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'runbook.scale',
        'runbook.restart',
        'runbook.pause-rollout',
        'runbook.dr-drill',
        'runbook.get-runbook',
        'runbook.get-run',
        'runbook.get-health',
        'runbook.get-oncall',
        'runbook.list-incidents',
        'runbook.get-security',
        'runbook.renew-certificate',
        'runbook.rotate-secret',
        'runbook.review-access',
      ]),
    );
    // A supplied secret value has no place in a tool call: the engine generates one.
    const rotate = tools.find(t => t.name === 'runbook.rotate-secret')!;
    expect(Object.keys(rotate.inputSchema.properties ?? {})).not.toContain(
      'value',
    );
    expect(rotate.inputSchema.properties).toHaveProperty('length');
    const scale = tools.find(t => t.name === 'runbook.scale')!;
    expect(scale.inputSchema.required).toEqual(
      expect.arrayContaining(['entityRef', 'replicas']),
    );
    expect(scale.inputSchema.properties).toHaveProperty('confirm');
    expect(scale.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(
      tools.find(t => t.name === 'runbook.get-health')!.annotations,
    ).toMatchObject({ readOnlyHint: true });
    await client.close();
  });

  it("reads a service's security state, for those who may", async () => {
    const owner = await connect(mockCredentials.user.header(OWNER));
    const security = await call(owner, 'runbook.get-security', {
      entityRef: 'component:default/mcp-svc',
    });
    expect(security.isError).toBeFalsy();
    expect(security.structuredContent).toMatchObject({
      certificates: { items: [], warningDays: 30 },
      access: { namespace: NS, findings: [] },
      vulnerabilities: { images: [] },
      findings: { items: expect.any(Array) },
    });
    await owner.close();
    const stranger = await connect(mockCredentials.user.header(STRANGER));
    const refused = await call(stranger, 'runbook.get-security', {
      entityRef: 'component:default/mcp-svc',
    });
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain('runbook.security.read');
    await stranger.close();
  });

  it("reads a service's health and on-call", async () => {
    const client = await connect(mockCredentials.user.header(STRANGER));
    const health = await call(client, 'runbook.get-health', {
      entityRef: 'component:default/mcp-svc',
    });
    expect(health.isError).toBeFalsy();
    expect(health.structuredContent).toMatchObject({
      entityRef: 'component:default/mcp-svc',
    });
    expect(['healthy', 'degraded', 'down', 'unknown']).toContain(
      health.structuredContent.status,
    );
    const oncall = await call(client, 'runbook.get-oncall', {
      entityRef: 'component:default/mcp-svc',
    });
    expect(oncall.structuredContent.owner).toMatchObject({
      groupRef: 'group:default/team-a',
      now: { contact: { userRef: 'user:default/alice' } },
    });
    await client.close();
  });

  it('dry-runs a scale, then runs it as a person who may, audited with that person', async () => {
    const client = await connect(mockCredentials.user.header(OWNER));
    const dry = await call(client, 'runbook.scale', {
      entityRef: 'component:default/mcp-svc',
      replicas: 3,
      dryRun: true,
    });
    expect(dry.structuredContent).toMatchObject({ dryRun: true });
    expect(JSON.stringify(dry.structuredContent.diff)).toContain(
      'spec.replicas',
    );
    expect(
      (await sandbox.get(`/apis/apps/v1/namespaces/${NS}/deployments/mcp-svc`))
        .spec.replicas,
    ).not.toBe(3);

    const started_ = await call(client, 'runbook.scale', {
      entityRef: 'component:default/mcp-svc',
      replicas: 3,
      reason: 'agent: more capacity',
    });
    expect(started_.isError).toBeFalsy();
    const runId = started_.structuredContent.id;
    let run: any;
    const deadline = Date.now() + 60_000;
    do {
      await new Promise(r => setTimeout(r, 200));
      run = (await call(client, 'runbook.get-run', { runId }))
        .structuredContent;
    } while (!run.finishedAt && Date.now() < deadline);
    expect(run).toMatchObject({ status: 'succeeded', actor: OWNER });
    expect(run.log.map((l: any) => l.message)).toContain('Succeeded');
    expect(
      (await sandbox.get(`/apis/apps/v1/namespaces/${NS}/deployments/mcp-svc`))
        .spec.replicas,
    ).toBe(3);
    const rows = await auditRows(`run=${runId}`);
    expect(rows.map(r => [r.event, r.actor])).toEqual(
      expect.arrayContaining([
        ['requested', OWNER],
        ['succeeded', OWNER],
      ]),
    );
    await client.close();
  });

  it('refuses a scale by a person who may not, and audits the refusal with the caller', async () => {
    const client = await connect(mockCredentials.user.header(STRANGER));
    const refused = await call(client, 'runbook.scale', {
      entityRef: 'component:default/mcp-svc',
      replicas: 4,
    });
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text).toBe(
      'NotAllowedError: You may not run scale on component:default/mcp-svc (runbook.action.execute)',
    );
    const denied = await auditRows(
      `actor=${STRANGER}&outcome=${encodeURIComponent(
        'runbook.action.execute denied',
      )}`,
    );
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ event: 'denied', actor: STRANGER });
    await client.close();
  });

  it('lets a service token read, but never change, and audits the attempt', async () => {
    const client = await connect(mockCredentials.service.header());
    const runbook = await call(client, 'runbook.get-runbook', {
      entityRef: 'component:default/mcp-svc',
    });
    expect(runbook.structuredContent.service).toBe('mcp-svc');
    const refused = await call(client, 'runbook.restart', {
      entityRef: 'component:default/mcp-svc',
    });
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text).toContain(
      'Only a signed-in person may run restart on component:default/mcp-svc',
    );
    const rows = await auditRows('event=denied&action=restart');
    expect(rows.map(r => r.outcome)).toContain(
      'a person must sign in; service principals may only read',
    );
    await client.close();
  });

  it('never fills in the confirmation a production service needs', async () => {
    const client = await connect(mockCredentials.user.header(OWNER));
    const refused = await call(client, 'runbook.restart', {
      entityRef: 'component:default/mcp-prod',
    });
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text).toContain(
      'confirm: component:default/mcp-prod is a production service; type its name "mcp-prod" to confirm',
    );
    await client.close();
  });
});
