import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A service to seed, read from a catalog Component's annotations. */
export interface CatalogService {
  /** `backstage.io/kubernetes-id`. */
  id: string;
  /** `backstage.io/kubernetes-namespace`; `default` when absent, as kubectl would use. */
  namespace: string;
  stagingNamespace?: string;
  imageRepository: string;
  minReplicas?: number;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap(entry => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(entry.name) ? [path] : [];
    })
    .sort();
}

/** Every Component with `backstage.io/kubernetes-id` in `catalogDir/**\/*.yaml`. */
export function readCatalogServices(catalogDir: string): CatalogService[] {
  const services = new Map<string, CatalogService>();
  for (const file of yamlFiles(catalogDir)) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      if (doc.errors.length) {
        throw new Error(`${file}: invalid YAML: ${doc.errors[0].message}`);
      }
      const entity = doc.toJSON();
      const annotations: Record<string, string> =
        entity?.metadata?.annotations ?? {};
      const id = annotations['backstage.io/kubernetes-id'];
      if (entity?.kind !== 'Component' || !id) continue;
      const range = /^(\d+)\s*-\s*(\d+)$/.exec(
        annotations['nexus-cos.io/replicas'] ?? '',
      );
      services.set(id, {
        id,
        namespace:
          annotations['backstage.io/kubernetes-namespace'] ?? 'default',
        stagingNamespace: annotations['nexus-cos.io/staging-namespace'],
        imageRepository:
          annotations['nexus-cos.io/image-repository'] ??
          `registry.local/${id}`,
        minReplicas: range ? Number(range[1]) : undefined,
      });
    }
  }
  return [...services.values()];
}
