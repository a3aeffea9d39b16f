import { fill, type Messages } from '@/lib/i18n/messages';
import type { SensorSeries } from '@/lib/story/build';

const W = 320;
const H = 140;
const PAD = { left: 34, right: 8, top: 10, bottom: 20 };

/** A small server-rendered chart of temperature readings; readings above the limit in red. */
export function ColdChainChart({
  series,
  t,
  locale,
}: {
  series: SensorSeries;
  t: Messages['coldChain'];
  locale: string;
}) {
  const { points, limit } = series;
  if (points.length === 0) return null;
  const times = points.map((p) => p.time);
  const values = points.map((p) => p.value).concat(limit === undefined ? [] : [limit]);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [v0, v1] = [Math.floor(Math.min(...values) - 1), Math.ceil(Math.max(...values) + 1)];
  const x = (time: number) =>
    PAD.left + ((time - t0) / Math.max(1, t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (value: number) =>
    H - PAD.bottom - ((value - v0) / Math.max(1, v1 - v0)) * (H - PAD.top - PAD.bottom);
  const unit = series.unit === 'CEL' ? '°C' : series.unit === 'FAH' ? '°F' : series.unit;
  const flagged = points.some((p) => p.flagged);
  const date = new Intl.DateTimeFormat(locale, {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  const limitText = limit === undefined ? '' : `${limit} ${unit}`;
  return (
    <figure className="chart" data-flagged={flagged ? 'true' : 'false'}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={fill(t.readings, { count: points.length })}
      >
        <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={H - PAD.bottom} className="axis" />
        <line
          x1={PAD.left}
          x2={W - PAD.right}
          y1={H - PAD.bottom}
          y2={H - PAD.bottom}
          className="axis"
        />
        <text x={PAD.left - 4} y={y(v1) + 4} textAnchor="end" className="tick">
          {v1}
        </text>
        <text x={PAD.left - 4} y={y(v0) + 4} textAnchor="end" className="tick">
          {v0}
        </text>
        {limit !== undefined ? (
          <>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(limit)} y2={y(limit)} className="limit" />
            <text
              x={PAD.left + 4}
              y={y(limit) - 3}
              className="tick"
            >{`${t.limit} ${limitText}`}</text>
          </>
        ) : null}
        <polyline
          points={points.map((p) => `${x(p.time).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}
          className="series"
        />
        {points
          .filter((p) => p.flagged)
          .map((p) => (
            <circle key={p.time} cx={x(p.time)} cy={y(p.value)} r={3} className="flagged" />
          ))}
        <text x={PAD.left} y={H - 4} className="tick">
          {date.format(new Date(t0))}
        </text>
        <text x={W - PAD.right} y={H - 4} textAnchor="end" className="tick">
          {date.format(new Date(t1))} UTC
        </text>
      </svg>
      <figcaption className={flagged ? 'excursion' : ''}>
        {fill(t.readings, { count: points.length })} ({unit}).{' '}
        {limit === undefined ? '' : fill(flagged ? t.excursion : t.ok, { limit: limitText })}
      </figcaption>
    </figure>
  );
}
