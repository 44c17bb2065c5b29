// How Prometheus series and Alertmanager alerts are written in gate evidence and on screen:
// `metric{label="value", ...}` as PromQL writes a selector, values in their short form.

/** `up{instance="127.0.0.1:9100", job="node"}`, labels sorted, `__name__` as the prefix; `{}` for none. */
export function seriesText(labels: Readonly<Record<string, string>>): string {
  const name = labels.__name__ ?? '';
  const pairs = Object.entries(labels)
    .filter(([key]) => key !== '__name__')
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return pairs.length === 0 && name !== '' ? name : `${name}{${pairs.join(', ')}}`;
}

/** A sample value as people read it: up to 4 significant decimals, NaN and ±Inf by name. */
export function sampleText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}
