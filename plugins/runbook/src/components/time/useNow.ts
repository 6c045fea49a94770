import { useEffect, useState } from 'react';

/** The current time in ms, updated every `tickMs` (default a second) while mounted. */
export function useNow(tickMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  return now;
}
