// The simple JSON paths CRDs name (printer columns, scale replicas): `.spec.replicas`,
// `.status.conditions[0].type`, `.items[*].name`, `.metadata.labels['app.kubernetes.io/name']`,
// `.status.conditions[?(@.type=="Ready")].status` — the subset of kubectl's JSONPath they use.

type Step =
  | { field: string }
  | { index: number }
  | { all: true }
  | { filter: string[]; op: '==' | '!='; value: string | number | boolean };

export type JsonPath = (obj: unknown) => unknown[];

const FIELD = /^\.([A-Za-z_$][\w$-]*)/;
const QUOTED = /^\[\s*'([^']*)'\s*\]|^\[\s*"([^"]*)"\s*\]/;
const INDEX = /^\[\s*(-?\d+)\s*\]/;
const ALL = /^\[\s*\*\s*\]/;
const FILTER = /^\[\?\(\s*@((?:\.[A-Za-z_$][\w$-]*)+)\s*(==|!=)\s*("[^"]*"|'[^']*'|-?\d+(?:\.\d+)?|true|false)\s*\)\]/;

function parse(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let rest = path.trim();
  if (rest.startsWith('{') && rest.endsWith('}')) rest = rest.slice(1, -1).trim();
  if (!rest.startsWith('.') && !rest.startsWith('[')) return undefined;
  while (rest.length) {
    let m: RegExpMatchArray | null;
    if ((m = rest.match(FIELD))) steps.push({ field: m[1] });
    else if ((m = rest.match(QUOTED))) steps.push({ field: m[1] ?? m[2] });
    else if ((m = rest.match(INDEX))) steps.push({ index: Number(m[1]) });
    else if ((m = rest.match(ALL))) steps.push({ all: true });
    else if ((m = rest.match(FILTER))) {
      const raw = m[3];
      const value = raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw === 'true' ? true : raw === 'false' ? false : Number(raw);
      steps.push({ filter: m[1].slice(1).split('.'), op: m[2] as '==' | '!=', value });
    } else return undefined;
    rest = rest.slice(m[0].length);
  }
  return steps.length ? steps : undefined;
}

/** Whether a CRD may name this path (it parses in the subset above). */
export function isSimpleJsonPath(path: string): boolean {
  return parse(path) !== undefined;
}

function child(v: unknown, key: string): unknown {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
}

/** Compiles a path to a function returning every value it reaches (missing keys reach nothing). */
export function compileJsonPath(path: string): JsonPath {
  const steps = parse(path);
  if (!steps) throw new Error(`unrecognized JSON path ${JSON.stringify(path)}`);
  return (obj) => {
    let current: unknown[] = [obj];
    for (const step of steps) {
      const next: unknown[] = [];
      for (const v of current) {
        if ('field' in step) {
          const c = child(v, step.field);
          if (c !== undefined) next.push(c);
        } else if (!Array.isArray(v)) continue;
        else if ('index' in step) {
          const c = v[step.index < 0 ? v.length + step.index : step.index];
          if (c !== undefined) next.push(c);
        } else if ('all' in step) next.push(...v);
        else {
          for (const item of v) {
            const actual = step.filter.reduce<unknown>((o, k) => child(o, k), item);
            if ((actual === step.value) === (step.op === '==')) next.push(item);
          }
        }
      }
      current = next;
    }
    return current;
  };
}
