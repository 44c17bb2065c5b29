// Kubernetes resource quantities ("500m", "1.5", "256Mi", "1e3", "12345678n"), as the API
// server's grammar defines them: checked before a patch is sent, and read as numbers for
// kubectl top and inspect (CPU in millicores, memory in bytes).

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))((?:[KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The quantity in base units (cores, bytes); undefined when it is not a quantity. */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  if (suffix in BINARY) return number * (BINARY[suffix] as number);
  if (suffix in DECIMAL) return number * (DECIMAL[suffix] as number);
  return number * 10 ** Number(suffix.slice(1));
}

/** Why `text` cannot be a CPU or memory request or limit, or undefined when it can. */
export function quantityProblem(field: string, text: string): string | undefined {
  const value = parseQuantity(text);
  if (value === undefined) return `${field} ${JSON.stringify(text)} is not a Kubernetes quantity (e.g. 500m, 1, 256Mi, 1Gi)`;
  if (value < 0) return `${field} ${JSON.stringify(text)} must not be negative`;
  return undefined;
}

/** CPU in millicores (kubectl top's unit), rounded. */
export function millicoresOf(text: string | undefined): number {
  const cores = text === undefined ? undefined : parseQuantity(text);
  return cores === undefined ? 0 : Math.round(cores * 1000);
}

/** Memory in bytes, rounded; undefined when absent or unreadable. */
export function bytesOf(text: string | undefined): number | undefined {
  const bytes = text === undefined ? undefined : parseQuantity(text);
  return bytes === undefined ? undefined : Math.round(bytes);
}
