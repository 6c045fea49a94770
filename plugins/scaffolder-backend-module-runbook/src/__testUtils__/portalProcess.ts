/**
 * The portal's backend (see portal.ts) in its own process, so that a test can kill it
 * mid-task. Run with `node --require @backstage/cli/config/nodeTransform.cjs
 * portalProcess.ts`; reads `PORTAL_TEST` (JSON options of startPortal) and prints
 * `READY <port>` once it serves.
 */
import { startPortal } from './portal';

startPortal(JSON.parse(process.env.PORTAL_TEST!))
  .then(({ port }) => process.stdout.write(`READY ${port}\n`))
  .catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
