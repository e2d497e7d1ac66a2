const FLAG_KEY = 'dystrack.e2e';

/**
 * Whether the test hook is on: in development, or when the page was opened with `?e2e=1`
 * (remembered for the tab, so that in-app navigation and reloads keep it).
 */
export function e2eEnabled(url: string = window.location.href, dev: boolean = import.meta.env.DEV): boolean {
  if (dev) return true;
  const param = new URL(url).searchParams.get('e2e');
  try {
    if (param === '1') sessionStorage.setItem(FLAG_KEY, '1');
    if (param === '0') sessionStorage.removeItem(FLAG_KEY);
    return sessionStorage.getItem(FLAG_KEY) === '1';
  } catch {
    return param === '1';
  }
}
