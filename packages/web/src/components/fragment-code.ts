// The code taken from the address bar, kept for a second run of a state initialiser (Strict Mode).
let takenCode: string | null = null;

/**
 * The code in the link's fragment (`…/redeem#<code>`), taken out of the address bar at once: it must not stay
 * in the history or be bookmarked. Kept until {@link forgetFragmentCode}, for a second render.
 */
export function takeFragmentCode(): string {
  const hash = window.location.hash.slice(1);
  if (hash) {
    try {
      takenCode = decodeURIComponent(hash);
    } catch {
      takenCode = hash;
    }
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  }
  return takenCode ?? '';
}

/** Forgets the taken code (it was used). */
export function forgetFragmentCode(): void {
  takenCode = null;
}
