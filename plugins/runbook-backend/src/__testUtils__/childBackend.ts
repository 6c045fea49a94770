import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { OWNER, as } from './testBackend';

/** A runbook backend in a child process (see backendProcess.ts). */
export type ChildBackend = {
  url: string;
  process: ChildProcess;
  kill(): Promise<void>;
};

export function startChildBackend(options: object): Promise<ChildBackend> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.resolve(__dirname, 'backendProcess.ts'),
    ],
    {
      env: {
        ...process.env,
        RUNBOOK_TEST_BACKEND: JSON.stringify(options),
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', chunk => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', chunk => {
      stdout += chunk;
      const m = /READY (\d+)/.exec(stdout);
      if (m) {
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          process: child,
          kill: () =>
            new Promise(done => {
              if (child.exitCode !== null || child.signalCode !== null) done();
              else {
                child.once('exit', () => done());
                child.kill('SIGKILL');
              }
            }),
        });
      }
    });
    child.once('exit', code =>
      reject(new Error(`backend exited with ${code}: ${stderr}`)),
    );
  });
}

/** A call to a child backend's runbook API as `user`: its status and JSON body. */
export async function callChild(
  backend: ChildBackend,
  method: string,
  route: string,
  body?: object,
  user = OWNER,
) {
  const res = await fetch(`${backend.url}/api/runbook${route}`, {
    method,
    headers: {
      ...as(user),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
