/** Small DOM helpers shared by tasks (no framework: tasks draw with the DOM into `ctx.element`). */

/** Creates an element with a class, inline styles, attributes and text. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: {
    className?: string;
    style?: Partial<CSSStyleDeclaration>;
    attrs?: Record<string, string>;
    text?: string;
  } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.style) Object.assign(element.style, options.style);
  for (const [name, value] of Object.entries(options.attrs ?? {})) element.setAttribute(name, value);
  if (options.text !== undefined) element.textContent = options.text;
  element.append(...children);
  return element;
}

/** Styles that hide an element visually but keep it for screen readers. */
export const VISUALLY_HIDDEN: Partial<CSSStyleDeclaration> = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  padding: '0',
  margin: '-1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: '0',
};

/**
 * A polite ARIA live region inside `parent`, for when the web app gives no `announce`.
 * @returns `announce` and `remove`
 */
export function createAnnouncer(parent: HTMLElement): { announce(message: string): void; remove(): void } {
  const region = h('div', {
    className: 'dt-announcer',
    style: VISUALLY_HIDDEN,
    attrs: { role: 'status', 'aria-live': 'polite' },
  });
  parent.append(region);
  return {
    announce(message) {
      region.textContent = message;
    },
    remove() {
      region.remove();
    },
  };
}

/** Whether the person asked for reduced motion (false where `matchMedia` is missing). */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Smallest side of a touch target, CSS px (WCAG 2.5.5 asks 44; users with impaired hands need more). */
export const MIN_TARGET_PX = 64;
