import { parseArgs } from 'node:util';

export const ADMIN_USAGE = `       sandbox-cluster fault add --kind <kind> [--service <id>] [--namespace <ns>] [--rate <0-1>]
                                 [--latency-ms <ms>] [--image <glob>] [--fill-seconds <s>] [--after-ms <ms>]
       sandbox-cluster fault list
       sandbox-cluster fault clear [--id <fault id>] [--service <id>] [--kind <kind>]
       sandbox-cluster load --service <id> --factor <x> [--namespace <ns>]
       (each also takes --url http://127.0.0.1:6443 and --token <t>)`;

const NUMBERS = {
  rate: 'rate',
  'latency-ms': 'latencyMs',
  'fill-seconds': 'fillSeconds',
  'after-ms': 'afterMs',
} as const;

/** `fault …` and `load …`: a client of a running sandbox's admin API under `/sandbox/`. */
export async function adminCommand(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:6443' },
      token: { type: 'string' },
      kind: { type: 'string' },
      service: { type: 'string' },
      namespace: { type: 'string' },
      image: { type: 'string' },
      id: { type: 'string' },
      factor: { type: 'string' },
      ...Object.fromEntries(
        Object.keys(NUMBERS).map(k => [k, { type: 'string' as const }]),
      ),
    },
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${values.url}/sandbox/${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(values.token ? { authorization: `Bearer ${values.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const reply = await res.json();
    if (!res.ok) throw new Error(`${res.status}: ${reply.message}`);
    return reply;
  };
  const [area, verb] = positionals;
  const number = (flag: string) => {
    const text = (values as Record<string, string | undefined>)[flag];
    if (text === undefined) return undefined;
    const n = Number(text);
    if (Number.isNaN(n)) throw new Error(`--${flag} must be a number`);
    return n;
  };
  if (area === 'fault' && verb === 'add') {
    const spec: Record<string, unknown> = {
      kind: values.kind,
      service: values.service,
      namespace: values.namespace,
      image: values.image,
    };
    for (const [flag, field] of Object.entries(NUMBERS))
      spec[field] = number(flag);
    const fault = await call('POST', 'faults', spec);
    console.log(`added ${fault.id}: ${JSON.stringify(fault)}`);
  } else if (area === 'fault' && verb === 'list') {
    const { items } = await call('GET', 'faults');
    for (const fault of items)
      console.log(`${fault.id}\t${JSON.stringify(fault)}`);
    if (items.length === 0) console.log('no faults');
  } else if (area === 'fault' && verb === 'clear') {
    if (values.id) {
      await call('DELETE', `faults/${encodeURIComponent(values.id)}`);
      console.log(`removed ${values.id}`);
    } else {
      const query = new URLSearchParams();
      if (values.service) query.set('service', values.service);
      if (values.kind) query.set('kind', values.kind);
      const { items } = await call('DELETE', `faults?${query}`);
      console.log(`removed ${items.length} fault(s)`);
    }
  } else if (area === 'load') {
    const factor = number('factor');
    await call('PUT', 'traffic', {
      service: values.service,
      factor,
      namespace: values.namespace,
    });
    console.log(`load factor of ${values.service} set to ${factor}`);
  } else {
    throw new Error(
      `unknown command: ${positionals.join(' ')}\n${ADMIN_USAGE}`,
    );
  }
}
