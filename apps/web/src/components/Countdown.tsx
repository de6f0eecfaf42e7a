import { useEffect, useState } from 'react';
import { remaining } from '../format';
import { useT } from '../i18n';

/** Time left until `until`, ticking each second; follows `until` when it moves (an extension). */
export function Countdown({ until, paused, testId }: { until: string | null; paused?: boolean; testId?: string }) {
  const { lang } = useT();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (paused || !until) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [paused, until]);
  if (!until) return <span>—</span>;
  return (
    <span className="countdown" data-testid={testId} data-until={until} role="timer" aria-live="off">
      {remaining(new Date(until).getTime() - now, lang)}
    </span>
  );
}
