/**
 * A daily two-series chart (uPlot, loaded with the results page only): reminders sent and orders
 * recovered, or review requests sent and reviews received, per day.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type Day = { date: string; sent: number; recovered: number };

export function RecoveryChart(props: {
  days: Day[];
  labels: { sent: string; recovered: string };
  title: string;
  testId?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const width = Math.max(280, Math.min(host.current!.clientWidth, 1100));
    const x = props.days.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
    const chart = new uPlot(
      {
        title: props.title,
        width,
        height: 260,
        // One day alone would otherwise be spread over years of axis.
        scales: {
          x: { time: true, range: (_u, min, max) => (min === max ? [min - 3 * 86_400, max + 3 * 86_400] : [min, max]) },
        },
        series: [
          {},
          { label: props.labels.sent, stroke: '#0b5fff', width: 2 },
          { label: props.labels.recovered, stroke: '#1a7f37', width: 2, fill: 'rgba(26,127,55,0.12)' },
        ],
      },
      [x, props.days.map((d) => d.sent), props.days.map((d) => d.recovered)],
      host.current!,
    );
    return () => chart.destroy();
  }, [props.days, props.labels]);
  return <div ref={host} role="img" aria-label={props.title} data-testid={props.testId ?? 'recovery-chart'} />;
}
