import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxCluster } from '../startSandboxCluster';

const KUBECTL = '/usr/bin/kubectl';

/** The outcome of one kubectl run. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real kubectl (v1.32) with a kubeconfig for one sandbox, in a temp directory. */
export function kubectlFor(cluster: SandboxCluster) {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-kubectl-'));
  writeFileSync(join(dir, 'kubeconfig'), cluster.kubeconfig());
  const kubectl = (args: string[], input?: string): Promise<Run> =>
    new Promise((done, fail) => {
      const child = spawn(KUBECTL, args, {
        env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', d => (stdout += d));
      child.stderr.on('data', d => (stderr += d));
      child.on('error', fail);
      child.on('close', code => done({ code, stdout, stderr }));
      child.stdin.end(input ?? '');
    });
  /** Runs kubectl and fails on a non-zero exit; returns stdout. */
  const ok = async (args: string[], input?: string) => {
    const run = await kubectl(args, input);
    if (run.code !== 0)
      throw new Error(
        `kubectl ${args.join(' ')} exited ${run.code}: ${run.stderr}`,
      );
    return run.stdout;
  };
  return {
    /** A scratch directory for manifests; removed by `cleanup`. */
    dir,
    kubectl,
    ok,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
