export { RelativeTime } from './RelativeTime';
export { formatDuration, formatMillis } from './formatDuration';
export { useNow } from './useNow';
