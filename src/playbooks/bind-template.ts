// The `bind` templates of suggest rules ("{{ alert.target }}"), rendered over one source's
// fields. Only until src/playbooks/template.ts (the runner's templating) lands: then this
// file goes and suggestions.ts calls that.

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)\s*\}\}/g;

/**
 * The template with each `{{ scope.field }}` replaced by its value; undefined when it names a
 * field the scope does not have (a binding that cannot be made is no binding at all).
 */
export function renderBindTemplate(template: string, scope: Readonly<Record<string, Readonly<Record<string, string | undefined>>>>): string | undefined {
  let missing = false;
  const rendered = template.replace(PLACEHOLDER, (_match, name: string, field: string) => {
    const value = scope[name]?.[field];
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : rendered;
}
