import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import {
  DEFAULT_CATALOG_DIR,
  startSandboxCluster,
} from './startSandboxCluster';
import { TIMING_PRESETS } from './timings';
import { parseInstant } from './traffic/clock';
import { ADMIN_USAGE, adminCommand } from './adminCli';

const USAGE = `Usage: sandbox-cluster [--port 6443] [--host 127.0.0.1] [--catalog <dir>] [--no-seed]
                       [--timings fast|realistic] [--token <t>] [--read-only-token <t>]
                       [--never-ready <image glob>]... [--errors <image glob>]...
                       [--slow <image glob>]... [--seed <s>] [--time-scale <x>]
                       [--start-at <ISO 8601 instant>] [--preview-share <x>]
${ADMIN_USAGE}`;

/** Runs the sandbox cluster in the foreground until SIGINT/SIGTERM. */
export async function main(argv: string[]) {
  if (argv[0] === 'fault' || argv[0] === 'load') {
    await adminCommand(argv);
    return;
  }
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '6443' },
      host: { type: 'string', default: '127.0.0.1' },
      catalog: { type: 'string', default: DEFAULT_CATALOG_DIR },
      'no-seed': { type: 'boolean', default: false },
      timings: { type: 'string', default: 'realistic' },
      token: { type: 'string' },
      'read-only-token': { type: 'string' },
      'never-ready': { type: 'string', multiple: true },
      errors: { type: 'string', multiple: true },
      slow: { type: 'string', multiple: true },
      'preview-share': { type: 'string' },
      seed: { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      'start-at': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got ${values.port}`);
  const preset = values.timings;
  if (preset !== 'fast' && preset !== 'realistic')
    throw new Error(`--timings must be fast or realistic, got ${preset}`);
  const timeScale = Number(values['time-scale']);
  if (!(timeScale > 0))
    throw new Error(`--time-scale must be > 0, got ${values['time-scale']}`);
  const previewShare =
    values['preview-share'] === undefined
      ? undefined
      : Number(values['preview-share']);
  if (previewShare !== undefined && !(previewShare >= 0 && previewShare <= 1))
    throw new Error(
      `--preview-share must be between 0 and 1, got ${values['preview-share']}`,
    );
  const startAt =
    values['start-at'] === undefined
      ? undefined
      : parseInstant(values['start-at'], '--start-at');
  const started = Date.now();
  const cluster = await startSandboxCluster({
    port,
    host: values.host,
    seed: values['no-seed'] ? false : { catalogDir: resolve(values.catalog!) },
    timings: TIMING_PRESETS[preset],
    token: values.token,
    readOnlyToken: values['read-only-token'],
    neverReadyImages: values['never-ready'],
    errorImages: values.errors,
    slowImages: values.slow,
    traffic: { seed: values.seed, timeScale, startAt, previewShare },
  });
  console.log(
    `sandbox-cluster: serving the Kubernetes API at ${cluster.url} (${
      cluster.services.length
    } services seeded, ${preset} timings, ${Date.now() - started} ms)`,
  );
  if (startAt !== undefined)
    console.log(
      `sandbox-cluster: load curves start at ${new Date(
        startAt,
      ).toISOString()} (simulated), not the wall clock`,
    );
  console.log(
    `sandbox-cluster: kubectl --server ${cluster.url} get deployments -A; metrics at ${cluster.url}/metrics`,
  );
  const shutdown = () => {
    cluster.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
