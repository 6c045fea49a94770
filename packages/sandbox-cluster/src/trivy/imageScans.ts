/** Severities as Trivy reports them. */
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';

/** One finding, in the fields of a VulnerabilityReport's `report.vulnerabilities[]`. */
export interface Vulnerability {
  vulnerabilityID: string;
  /** The package. */
  resource: string;
  installedVersion: string;
  /** Empty when no fix is released. */
  fixedVersion: string;
  severity: Severity;
  title: string;
  /** Default `https://avd.aquasec.com/nvd/<id>`. */
  primaryLink?: string;
  score?: number;
  /** `os-pkgs` (default) or `lang-pkgs`. */
  class?: string;
  publishedDate?: string;
  lastModifiedDate?: string;
}

/** What scanning one image found. */
export interface ImageScan {
  os: { family: string; name: string };
  vulnerabilities: Vulnerability[];
  /**
   * Totals per severity when the report lists only some findings (the summary then
   * exceeds the list); by default the list is counted.
   */
  totals?: Partial<Record<Severity, number>>;
}

/**
 * The scan results trivy-operator would find, by image (`repository:tag`, as written in
 * pod templates). Only images listed here are scanned; changes rescan their workloads.
 */
export class ImageScans {
  private readonly scans = new Map<string, ImageScan>();
  private readonly listeners = new Set<(image: string) => void>();

  get(image: string): ImageScan | undefined {
    return this.scans.get(image);
  }

  set(image: string, scan: ImageScan) {
    this.scans.set(image, structuredClone(scan));
    this.listeners.forEach(l => l(image));
  }

  delete(image: string) {
    if (this.scans.delete(image)) this.listeners.forEach(l => l(image));
  }

  images() {
    return [...this.scans.keys()];
  }

  onChange(listener: (image: string) => void) {
    this.listeners.add(listener);
  }
}
