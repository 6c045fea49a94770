/** One series of a Prometheus answer: an instant `value` or a range of `values`. */
export type PromSeries = {
  metric?: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
};

type PromResponse = {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: PromSeries[] };
};

/** Asks Prometheus's HTTP API (`query` or `query_range`); throws its error, or the HTTP status. */
export type PromQuery = (
  path: 'query' | 'query_range',
  params: Record<string, string>,
) => Promise<PromSeries[]>;

/** A {@link PromQuery} against `baseUrl`, each request bounded by `timeoutMs`. */
export function prometheusQuery(baseUrl: string, timeoutMs: number): PromQuery {
  return async (path, params) => {
    const response = await fetch(`${baseUrl}/api/v1/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Reading the body can fail too: the timeout may fire after the headers came.
    let unread: string | undefined;
    const body = (await response.json().catch((error: Error) => {
      unread = error.message;
      return undefined;
    })) as PromResponse | undefined;
    if (!response.ok || body?.status !== 'success') {
      throw new Error(
        body?.error ??
          `HTTP ${response.status}${unread ? `, body unread: ${unread}` : ''}`,
      );
    }
    return body.data?.result ?? [];
  };
}
