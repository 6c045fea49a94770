import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The repository root, which holds `catalog-info.yaml` and `catalog/`. */
export const REPO_ROOT = path.resolve(__dirname, '../../../../..');

/** One entity of the catalog and the repo-relative file it came from. */
export type CatalogDocument = { file: string; entity: Entity };

/** Repo-relative paths of every YAML file under `catalog/`. */
export function nexusCatalogFiles(): string[] {
  return fs
    .readdirSync(path.join(REPO_ROOT, 'catalog'), { recursive: true })
    .map(String)
    .filter(file => /\.ya?ml$/.test(file))
    .map(file => path.posix.join('catalog', file.split(path.sep).join('/')))
    .sort();
}

/** Every YAML document of one repo-relative file, parsed the way Backstage's YAML reader does. */
export function readCatalogFile(file: string): CatalogDocument[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return parseAllDocuments(text).map(document => {
    if (document.errors.length) {
      throw new Error(`${file}: ${document.errors[0].message}`);
    }
    return { file, entity: document.toJS() as Entity };
  });
}

/** The Nexus COS catalog: every entity under `catalog/` and the root `catalog-info.yaml`. */
export function loadNexusCatalog(): {
  documents: CatalogDocument[];
  rootLocation: CatalogDocument[];
} {
  return {
    documents: nexusCatalogFiles().flatMap(readCatalogFile),
    rootLocation: readCatalogFile('catalog-info.yaml'),
  };
}
