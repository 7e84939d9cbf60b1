import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  keyOf(item: T): string;
  renderRow(item: T): ComponentChildren;
  /** Rows rendered beyond the visible ones, above and below. */
  overscan?: number;
}

/**
 * A scrolling list that renders only the rows in view (fixed row height): a thousand rows cost
 * what thirty do.
 */
export function VirtualList<T>({ items, rowHeight, keyOf, renderRow, overscan = 8 }: VirtualListProps<T>) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const element = viewport.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    setHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return (
    <div class="virtual-viewport" ref={viewport} onScroll={(event) => setScrollTop((event.currentTarget as HTMLDivElement).scrollTop)}>
      <div style={{ height: `${items.length * rowHeight}px`, position: 'relative' }}>
        {items.slice(first, last).map((item, offset) => (
          <div key={keyOf(item)} class="virtual-row" style={{ top: `${(first + offset) * rowHeight}px`, height: `${rowHeight}px` }}>
            {renderRow(item)}
          </div>
        ))}
      </div>
    </div>
  );
}
