import {
  AuditorService,
  LoggerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';

/**
 * A root logger and an auditor that keep everything they are given, as text, so that a
 * test can search every line the backend wrote for what must never be there.
 */
export function recordingSinks() {
  const lines: string[] = [];
  /** Log messages with the time they were written. */
  const messages: Array<{ at: number; message: string }> = [];
  const keep = (value: { message?: unknown; [key: string]: unknown }) => {
    if (typeof value.message === 'string')
      messages.push({ at: Date.now(), message: value.message });
    lines.push(
      JSON.stringify(value, (_k, v) =>
        v instanceof Error ? { message: v.message, stack: v.stack } : v,
      ),
    );
  };
  const logger = (meta: Record<string, unknown>): LoggerService => ({
    error: (message, m) => keep({ level: 'error', message, meta, m }),
    warn: (message, m) => keep({ level: 'warn', message, meta, m }),
    info: (message, m) => keep({ level: 'info', message, meta, m }),
    debug: (message, m) => keep({ level: 'debug', message, meta, m }),
    child: more => logger({ ...meta, ...more }),
  });
  const auditor: AuditorService = {
    async createEvent(options) {
      keep({ auditor: 'create', options });
      return {
        success: async o => keep({ auditor: 'success', o }),
        fail: async o => keep({ auditor: 'fail', o }),
      };
    },
  };
  return {
    lines,
    messages,
    features: [
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => logger({}),
      }),
      createServiceFactory({
        service: coreServices.auditor,
        deps: {},
        factory: () => auditor,
      }),
    ],
  };
}
