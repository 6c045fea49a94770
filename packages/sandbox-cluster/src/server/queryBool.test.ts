import { queryBool } from './queryBool';

describe('queryBool', () => {
  const read = (query: string) =>
    queryBool(new URLSearchParams(query), 'watch');

  it('reads what Go clients, kubectl and the Python client send', () => {
    for (const yes of ['1', 't', 'T', 'TRUE', 'true', 'True'])
      expect([yes, read(`watch=${yes}`)]).toEqual([yes, true]);
    for (const no of ['0', 'FALSE', 'false', 'False', 'fAlSe'])
      expect([no, read(`watch=${no}`)]).toEqual([no, false]);
  });

  it('is false when absent and true for any other value, like the apiserver', () => {
    expect(read('')).toBe(false);
    expect(read('timeoutSeconds=5')).toBe(false);
    // apimachinery only treats "0" and "false" as false, so even these start a watch.
    expect(read('watch=')).toBe(true);
    expect(read('watch=f')).toBe(true);
    expect(read('watch=yes')).toBe(true);
  });
});
