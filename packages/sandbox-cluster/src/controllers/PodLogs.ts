import { KubeObject } from '../store/types';

interface LogLine {
  at: number;
  text: string;
}

/**
 * Container log lines per pod, written by the pod lifecycle controller (and later by the
 * traffic model), read by `GET .../pods/<name>/log`.
 */
export class PodLogs {
  private readonly lines = new Map<string, Map<string, LogLine[]>>();

  constructor(private readonly maxLinesPerContainer = 1000) {}

  append(pod: KubeObject, container: string, text: string) {
    this.appendByUid(pod.metadata.uid!, container, text);
  }

  /** For writers that know pods by uid only (the traffic model). */
  appendByUid(uid: string, container: string, text: string) {
    let containers = this.lines.get(uid);
    if (!containers) {
      containers = new Map();
      this.lines.set(uid, containers);
    }
    const list = containers.get(container) ?? [];
    list.push({ at: Date.now(), text });
    if (list.length > this.maxLinesPerContainer) list.shift();
    containers.set(container, list);
  }

  read(
    pod: KubeObject,
    container: string,
    opts: { tailLines?: number; sinceSeconds?: number; timestamps?: boolean },
  ): string {
    let list = this.lines.get(pod.metadata.uid!)?.get(container) ?? [];
    if (opts.sinceSeconds !== undefined) {
      const since = Date.now() - opts.sinceSeconds * 1000;
      list = list.filter(l => l.at >= since);
    }
    if (opts.tailLines !== undefined) {
      list = opts.tailLines > 0 ? list.slice(-opts.tailLines) : [];
    }
    return list
      .map(
        l =>
          `${opts.timestamps ? `${new Date(l.at).toISOString()} ` : ''}${
            l.text
          }\n`,
      )
      .join('');
  }

  forget(pod: KubeObject) {
    this.lines.delete(pod.metadata.uid!);
  }
}
