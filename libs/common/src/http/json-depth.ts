/** Deeper than any request body of this API (the deepest, business hours, is 3 levels). */
export const MAX_JSON_DEPTH = 32;

/**
 * How deeply `value` nests objects and arrays, counted without recursion (so a hostile body
 * cannot overflow the stack here) and without looking further than `limit + 1` levels.
 */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Object.values(node as Record<string, unknown>)) stack.push([child, level]);
  }
  return deepest;
}
