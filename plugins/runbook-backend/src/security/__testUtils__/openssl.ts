import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CA_CONFIG = `[ ca ]
default_ca = test
[ test ]
dir = ./ca
database = $dir/index.txt
new_certs_dir = $dir/certs
serial = $dir/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[ any ]
commonName = supplied
`;

/** `YYYYMMDDHHMMSSZ`, as `openssl ca -startdate/-enddate` take it. */
const opensslTime = (iso: string) =>
  `${iso.replace(/[-:T]/g, '').slice(0, 14)}Z`;

/**
 * Certificates made by the real `openssl` (3.0) with exact validity dates: `openssl ca`
 * takes `-startdate` and `-enddate`, which `req -x509` lacks, so already-expired and
 * future certificates need no faked clock.
 */
export class OpenSslCa {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-openssl-'));
  #n = 0;

  constructor() {
    fs.mkdirSync(path.join(this.dir, 'ca/certs'), { recursive: true });
    fs.writeFileSync(path.join(this.dir, 'ca/index.txt'), '');
    fs.writeFileSync(path.join(this.dir, 'ca/serial'), '1000\n');
    fs.writeFileSync(path.join(this.dir, 'ca.cnf'), CA_CONFIG);
    this.#openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-subj',
      '/CN=Runbook Test Root CA',
      '-days',
      '36500',
    ]);
  }

  #openssl(args: string[]) {
    execFileSync('openssl', args, { cwd: this.dir, stdio: 'pipe' });
  }

  #read = (file: string) => fs.readFileSync(path.join(this.dir, file), 'utf8');

  /** The root's certificate (PEM), for `ca.crt`. */
  get rootPem() {
    return this.#read('ca.crt');
  }

  /**
   * A key pair and a certificate for `dnsNames` valid from `notBefore` to `notAfter`
   * (ISO times), signed by the root or self-signed. PEM files are also left in `dir`.
   */
  issue(options: {
    dnsNames: string[];
    notBefore: string;
    notAfter: string;
    selfSigned?: boolean;
  }): { certPem: string; keyPem: string; certFile: string; keyFile: string } {
    const name = `leaf${++this.#n}`;
    this.#openssl([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${options.dnsNames[0]}`,
      '-addext',
      `subjectAltName=${options.dnsNames.map(d => `DNS:${d}`).join(',')}`,
    ]);
    this.#openssl([
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-notext',
      ...(options.selfSigned
        ? ['-selfsign', '-keyfile', `${name}.key`]
        : ['-cert', 'ca.crt', '-keyfile', 'ca.key']),
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.crt`,
      '-startdate',
      opensslTime(options.notBefore),
      '-enddate',
      opensslTime(options.notAfter),
    ]);
    return {
      certPem: this.#read(`${name}.crt`),
      keyPem: this.#read(`${name}.key`),
      certFile: path.join(this.dir, `${name}.crt`),
      keyFile: path.join(this.dir, `${name}.key`),
    };
  }

  remove() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
