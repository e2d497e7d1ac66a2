import { useEffect, useState } from 'react';

/** The current time, ms since the Unix epoch, refreshed every `intervalMs` (for "next try at …" texts). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
