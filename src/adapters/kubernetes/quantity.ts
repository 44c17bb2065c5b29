// Kubernetes resource quantities ("250m", "1.5", "128Mi", "1G", "1e3", "12345n"), as the API
// server's grammar defines them: checked before a patch is sent, and read as numbers (CPU in
// millicores, memory in bytes) for the informers, kubectl top and inspect. Unreadable input is
// undefined, never a guess.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** The quantity's value in base units (cores, bytes); undefined when unreadable. */
export function parseQuantity(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const match = QUANTITY.exec(raw.trim());
  if (!match) return undefined;
  const number = Number(match[1]);
  if (match[2] !== undefined) return number * 10 ** Number(match[2].slice(1));
  const suffix = match[3] ?? '';
  const factor = BINARY[suffix] ?? DECIMAL[suffix];
  return factor === undefined ? undefined : number * factor;
}

/** Why `text` cannot be a CPU or memory request or limit, or undefined when it can. */
export function quantityProblem(field: string, text: string): string | undefined {
  const value = parseQuantity(text);
  if (value === undefined) return `${field} ${JSON.stringify(text)} is not a Kubernetes quantity (e.g. 500m, 1, 256Mi, 1Gi)`;
  if (value < 0) return `${field} ${JSON.stringify(text)} must not be negative`;
  return undefined;
}

/** CPU quantity in millicores, rounded ("250m" -> 250, "2" -> 2000, "1500000n" -> 2). */
export function millicoresOf(raw: unknown): number | undefined {
  const cores = parseQuantity(raw);
  return cores === undefined ? undefined : Math.round(cores * 1000);
}

/** Memory quantity in bytes, rounded ("128Mi" -> 134217728). */
export function bytesOf(raw: unknown): number | undefined {
  const bytes = parseQuantity(raw);
  return bytes === undefined ? undefined : Math.round(bytes);
}
