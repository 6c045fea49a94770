import { worstDiagnosticStatus } from './types';

describe('worstDiagnosticStatus', () => {
  it('is the worst status of the checks, and ok without any', () => {
    expect(worstDiagnosticStatus([])).toBe('ok');
    expect(worstDiagnosticStatus(['ok', 'warn', 'ok'])).toBe('warn');
    expect(worstDiagnosticStatus(['warn', 'fail', 'ok'])).toBe('fail');
  });
});
