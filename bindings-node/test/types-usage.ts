// Type-checked with `tsc --noEmit`: the shipped index.d.ts must describe this usage.
import { parseEntityRef, stringifyEntityRef, CompoundEntityRef } from '..';

const ref: CompoundEntityRef = parseEntityRef('team-a', { defaultKind: 'Group' });
const text: string = stringifyEntityRef({ kind: ref.kind, namespace: ref.namespace, name: ref.name });
export { text };

import { renderComposition, RenderedComposition } from '..';

const rendered: RenderedComposition = renderComposition('xrd', 'composition', 'claim');
const firstProblem: string | undefined = rendered.problems[0]?.message;
export { firstProblem };

import { applyPolicies, AppliedPolicies, teamNamespace, TeamNamespace, validatePortEntities, PortValidation } from '..';

const applied: AppliedPolicies = applyPolicies(['policy'], ['resource'], { operation: 'CREATE', groups: ['g'] });
const status: string | undefined = applied.results[0]?.status;
const ns: TeamNamespace = teamNamespace({ teamName: 't', environment: 'dev', resourceQuota: { memoryLimit: '4Gi' } });
const port: PortValidation = validatePortEntities(['bp'], ['entity']);
const ok: boolean = ns.valid && port.valid;
export { status, ok };
