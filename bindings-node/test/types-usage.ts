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

import { runTemplate, TaskResult, ActionContext, TemplateActionHandler } from '..';

const deploy: TemplateActionHandler = async (ctx: ActionContext) => {
  ctx.logger.info(`deploying into ${ctx.workspacePath}`);
  ctx.output('url', 'https://example.com');
  const replicas: unknown = ctx.input.replicas;
  return { replicas };
};
const task: Promise<TaskResult> = runTemplate('template', { name: 'x' }, {
  baseDir: '.',
  dryRun: false,
  workspace: '/tmp/ws',
  config: 'opa.yaml',
  user: { ref: 'user:default/jane' },
  secrets: { token: 't' },
  actions: { 'acme:deploy': deploy, 'acme:noop': () => {} },
});
task.then((r) => {
  const first: { stepId: string; message: string } | undefined = r.log[0];
  const out: Record<string, unknown> = r.output;
  return [first, out];
});

import { generatePipelines, GeneratedPipelines, auditList, listActions, ActionInfo, runAction, ActionRun } from '..';

const pipelines: GeneratedPipelines = generatePipelines('payments-api', [{ kind: 'Component' }], {
  environments: ['dev'],
  pipeline: { branch: 'main' },
});
const gitlabText: string = pipelines.gitlab;
const records: Promise<Record<string, unknown>[]> = auditList({ config: 'opa.yaml', app: 'payments-api', since: '7d', limit: 10 });
const infos: ActionInfo[] = listActions();
const run: Promise<ActionRun> = runAction('debug:log', { message: 'hi' }, { workspace: '/tmp/ws', entities: [], stepId: 's' });
export { gitlabText, records, infos, run };
