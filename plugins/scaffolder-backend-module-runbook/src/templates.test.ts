import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { parse } from 'yaml';
import { FakeRunbookClient } from './__testUtils__/FakeRunbookClient';
import { createRunbookActions } from './actions';
import { PRE_DEPLOYMENT_CHECKLIST } from '@nexus-cos/plugin-runbook-common';

const templatesDir = resolve(__dirname, '../../../templates');
const templateFiles = readdirSync(templatesDir).filter(
  f => f.endsWith('.yaml') && f !== 'all.yaml',
);
const read = (file: string) =>
  parse(readFileSync(resolve(templatesDir, file), 'utf8'));

const actions = createRunbookActions({
  clientFor: () => new FakeRunbookClient([]),
  appBaseUrl: 'http://portal.test',
});

/** Every `parameters.<name>` a template may refer to, including those of dependencies. */
function parameterNames(template: any): Set<string> {
  const names = new Set<string>();
  const collect = (schema: any) => {
    Object.keys(schema?.properties ?? {}).forEach(n => names.add(n));
    Object.values(schema?.dependencies ?? {}).forEach((d: any) =>
      (d.oneOf ?? [d]).forEach(collect),
    );
  };
  [template.spec.parameters].flat().forEach(collect);
  return names;
}

describe('templates', () => {
  it('are all listed by templates/all.yaml', () => {
    const location = read('all.yaml');

    expect(location.kind).toBe('Location');
    expect([...location.spec.targets].sort()).toEqual(
      templateFiles.map(f => `./${f}`).sort(),
    );
    expect(templateFiles).toHaveLength(4);
  });

  describe.each(templateFiles)('%s', file => {
    const template = read(file);

    it('is a valid v1beta3 Template owned by the platform lead that resumes after a restart', async () => {
      await expect(
        templateEntityV1beta3Validator.check(template),
      ).resolves.toBe(true);
      expect(template.spec.owner).toBe('group:default/platform-lead');
      // Without it, scaffolder.taskRecovery marks an interrupted task failed.
      expect(template.spec.EXPERIMENTAL_recovery).toEqual({
        EXPERIMENTAL_strategy: 'startOver',
      });
    });

    it('only uses runbook actions, with inputs those actions declare', () => {
      for (const step of template.spec.steps) {
        const action = actions.find(a => a.id === step.action);
        expect(action).toBeDefined();
        const schema = action!.schema!.input as any;
        expect(Object.keys(step.input)).toEqual(
          expect.arrayContaining(schema.required),
        );
        for (const key of Object.keys(step.input)) {
          expect(Object.keys(schema.properties)).toContain(key);
        }
      }
    });

    it('refers only to its own parameters and steps', () => {
      const text = readFileSync(resolve(templatesDir, file), 'utf8');
      const params = parameterNames(template);
      const stepIds = template.spec.steps.map((s: any) => s.id);

      for (const [, name] of text.matchAll(/parameters\.([A-Za-z]+)/g)) {
        expect(params).toContain(name);
      }
      for (const m of text.matchAll(
        /steps(?:\.([A-Za-z]+)|\['([a-z-]+)'\])\.output/g,
      )) {
        expect(stepIds).toContain(m[1] ?? m[2]);
      }
    });

    it('links to the run and its audit entries', () => {
      const urls = template.spec.output.links.map((l: any) => l.url ?? '');

      expect(urls.some((u: string) => u.includes('output.runUrl'))).toBe(true);
      expect(urls.some((u: string) => u.includes('output.auditUrl'))).toBe(
        true,
      );
    });
  });

  it("offers exactly the checklist items of the engine's checklist action", () => {
    const deploy = read('deploy-service.yaml');
    const items = deploy.spec.parameters.find(
      (p: any) => p.properties?.confirmations,
    ).properties.confirmations.items;

    expect(items.enum).toEqual([...PRE_DEPLOYMENT_CHECKLIST]);
    expect(items.enumNames).toHaveLength(PRE_DEPLOYMENT_CHECKLIST.length);
  });
});
