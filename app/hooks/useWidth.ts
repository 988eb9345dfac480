import { useCallback, useEffect, useState } from 'react';

/**
 * The content width of an element, kept up to date with a ResizeObserver. Returns a callback ref, so it works
 * for elements that mount later than the component (e.g. after a loading state).
 */
export function useWidth<T extends HTMLElement>(): [(el: T | null) => void, number] {
  const [el, setEl] = useState<T | null>(null);
  const [width, setWidth] = useState(0);
  const ref = useCallback((node: T | null) => setEl(node), []);
  useEffect(() => {
    if (el === null) return;
    const measure = () => setWidth(Math.floor(el.clientWidth));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return [ref, width];
}
