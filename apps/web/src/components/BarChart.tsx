import { useEffect, useRef, useState } from 'react';
import type { BarData } from './charts';

/**
 * A bar chart drawn by ECharts once it scrolls near the screen (the library is fetched then), with
 * the same figures as a table for screen readers and for anyone without the picture.
 */
export function BarChart({ title, data, caption }: { title: string; data: BarData; caption: [string, string] }) {
  const box = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(() => !('IntersectionObserver' in window));
  useEffect(() => {
    const element = box.current;
    if (!element || near) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          setNear(true);
          observer.disconnect();
        }
      },
      { rootMargin: '0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [near]);
  useEffect(() => {
    if (!near || !box.current) return;
    let dispose: (() => void) | undefined;
    let cancelled = false;
    void import('./charts').then(({ drawBars }) => {
      if (!cancelled && box.current) dispose = drawBars(box.current, data);
    });
    return () => {
      cancelled = true;
      dispose?.();
    };
  }, [near, data]);
  return (
    <figure style={{ margin: 0 }}>
      <figcaption className="chart-title">{title}</figcaption>
      <div ref={box} className="chart" aria-hidden="true" />
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{caption[0]}</th>
            <th scope="col">{caption[1]}</th>
          </tr>
        </thead>
        <tbody>
          {data.labels.map((label, index) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{data.format(data.values[index])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
