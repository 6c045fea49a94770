import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
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
