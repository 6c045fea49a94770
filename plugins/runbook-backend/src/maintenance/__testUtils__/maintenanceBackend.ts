import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { runbookMaintenanceCheckExtensionPoint } from '@nexus-cos/plugin-runbook-node';
import { runbookClockServiceRef } from '../clock';

/** A clock the test sets; every backend given its factory reads the same time. */
export function pinnedClock(start: string) {
  let now = new Date(start);
  return {
    set(iso: string) {
      now = new Date(iso);
    },
    get now() {
      return now;
    },
    factory: createServiceFactory({
      service: runbookClockServiceRef,
      deps: {},
      factory: () => ({ now: () => now }),
    }),
  };
}

/** Notifications, kept instead of sent; one list for every backend given the factory. */
export function notificationsRecorder() {
  const sent: NotificationSendOptions[] = [];
  return {
    sent,
    factory: createServiceFactory({
      service: notificationService,
      deps: {},
      factory: () => ({
        async send(notification: NotificationSendOptions) {
          sent.push(notification);
        },
      }),
    }),
  };
}

/** A module adding a check that records each time it runs, and on which backend. */
export function countingCheck(
  backend: string,
  runs: Array<{ backend: string; now: Date; from: Date }>,
) {
  return createBackendModule({
    pluginId: 'runbook',
    moduleId: `counting-check-${backend}`,
    register(env) {
      env.registerInit({
        deps: { checks: runbookMaintenanceCheckExtensionPoint },
        async init({ checks }) {
          checks.addCheck({
            id: 'counting',
            title: 'Counting check',
            period: 'daily',
            async run(ctx) {
              runs.push({ backend, now: ctx.now, from: ctx.period.from });
              return {
                status: 'warn',
                summary: `run ${runs.length}`,
                evidence: { backend, run: runs.length },
              };
            },
          });
        },
      });
    },
  });
}
