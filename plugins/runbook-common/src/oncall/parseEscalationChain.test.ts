import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_ESCALATION_CHAIN } from '../annotations';
import { parseEscalationChain } from './parseEscalationChain';

function domain(chain?: string, namespace?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: {
      name: 'nexus-cos',
      ...(namespace ? { namespace } : {}),
      ...(chain === undefined
        ? {}
        : { annotations: { [ANNOTATION_ESCALATION_CHAIN]: chain } }),
    },
    spec: { owner: 'platform-lead' },
  };
}

describe('parseEscalationChain', () => {
  it('returns full group refs in the declared order', () => {
    expect(
      parseEscalationChain(
        domain('group:default/platform-lead, devops,group:ops/security'),
      ),
    ).toEqual([
      'group:default/platform-lead',
      'group:default/devops',
      'group:ops/security',
    ]);
  });

  it("resolves bare names in the domain's namespace", () => {
    expect(parseEscalationChain(domain('devops', 'prod'))).toEqual([
      'group:prod/devops',
    ]);
  });

  it('is empty when the domain declares no chain', () => {
    expect(parseEscalationChain(domain())).toEqual([]);
  });

  it.each([
    ['devops,,security', /found an empty entry/],
    [
      'devops,user:default/alice',
      /"user:default\/alice" must refer to a group, not a user/,
    ],
  ])('rejects %j with a message naming the annotation', (chain, problem) => {
    const parse = () => parseEscalationChain(domain(chain));
    expect(parse).toThrow(
      `Invalid annotation ${ANNOTATION_ESCALATION_CHAIN} on domain:default/nexus-cos`,
    );
    expect(parse).toThrow(problem);
  });
});
