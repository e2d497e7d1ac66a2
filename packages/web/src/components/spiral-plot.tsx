import { useEffect, useId, useRef } from 'react';

/**
 * A chart (made by Observable Plot or any other DOM builder) with a title and a text summary. The chart
 * itself is hidden from screen readers; the summary says in words what it shows, for everyone.
 * @param make - builds the chart element; memoise it (a new function rebuilds the chart)
 */
export function SpiralPlot({
  title,
  summary,
  make,
  className,
}: {
  title: string;
  summary: string;
  make: () => Element;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const id = useId();
  useEffect(() => {
    const host = ref.current;
    if (!host) return undefined;
    let chart: Element | null = null;
    try {
      chart = make();
      host.replaceChildren(chart);
    } catch {
      // a chart that cannot be drawn here (no SVG support): the summary says the same in words
      host.replaceChildren();
    }
    return () => chart?.remove();
  }, [make]);
  return (
    <figure className={`spiral-plot${className ? ` ${className}` : ''}`} aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="spiral-plot__title">
        {title}
      </figcaption>
      <div ref={ref} className="spiral-plot__chart" aria-hidden="true" />
      <p className="spiral-plot__summary">{summary}</p>
    </figure>
  );
}
