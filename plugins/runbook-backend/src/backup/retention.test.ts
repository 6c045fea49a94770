import { prunable } from './retention';

const NOW = new Date('2026-12-03T02:00:00Z');
const daysAgo = (id: string, days: number) => ({
  id,
  createdAt: new Date(NOW.getTime() - days * 86_400_000).toISOString(),
});

describe('retention', () => {
  const backups = [
    daysAgo('b-today', 0),
    daysAgo('b-1d', 1),
    daysAgo('b-3d', 3),
    daysAgo('b-10d', 10),
    daysAgo('b-20d', 20),
    daysAgo('b-40d', 40),
  ];

  it('keeps the newest N and anything younger than D days, whatever the order given', () => {
    const shuffled = [
      backups[3],
      backups[0],
      backups[5],
      backups[1],
      backups[4],
      backups[2],
    ];
    expect(
      prunable(shuffled, { keepLast: 2, keepDays: 7 }, NOW).map(b => b.id),
    ).toEqual(['b-10d', 'b-20d', 'b-40d']);
  });

  it('keeps old backups while they are among the newest N', () => {
    expect(
      prunable(backups, { keepLast: 5, keepDays: 7 }, NOW).map(b => b.id),
    ).toEqual(['b-40d']);
  });

  it('keeps young backups beyond N', () => {
    expect(
      prunable(backups, { keepLast: 1, keepDays: 30 }, NOW).map(b => b.id),
    ).toEqual(['b-40d']);
  });

  it('with keepLast 0 and keepDays 0, prunes everything older than now', () => {
    expect(
      prunable(backups, { keepLast: 0, keepDays: 0 }, NOW).map(b => b.id),
    ).toEqual(['b-1d', 'b-3d', 'b-10d', 'b-20d', 'b-40d']);
  });

  it('prunes nothing of a target with fewer backups than N', () => {
    expect(
      prunable(backups.slice(0, 2), { keepLast: 3, keepDays: 0 }, NOW),
    ).toEqual([]);
  });
});
