// 审批 — the approval queue of the signed-in staff member at their centre (caseworker steps of their
// windows; for a supervisor the supervisor steps and the follow-ups of low ratings), earliest due first as
// the API orders it, overdue ones marked in words. A task's page shows its case: the timeline, every
// material viewable inline, and the decision: approve, reject, or return naming the missing materials
// from the matter's list with a comment. A follow-up is closed with what was done about the rating.

import { useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import type { Catalog, TaskView } from '../api/types.ts';
import { loadCatalog, materialName, matterOf } from '../catalog.ts';
import { Link } from '../components/link.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { businessDate, instant, named } from '../format.ts';
import { useAction } from '../use-action.ts';
import { useLoad } from '../use-load.ts';
import { st } from './i18n.ts';
import { MaterialViewer } from '../components/material-view.tsx';
import { staffHref } from './paths.ts';
import { isCitySupervisor, staffSession } from './session.ts';
import { CENTRE_CODES } from '../../../shared/domain/centres.ts';

const PAGE = '100';

/** Every pending task of the caller's queue (a queue is short: one page of 100, then the next). */
export async function pendingTasks(centre?: string): Promise<TaskView[]> {
  const tasks: TaskView[] = [];
  let cursor: string | undefined;
  do {
    const page = await call('GET /tasks', { query: { status: 'pending', limit: PAGE, ...(cursor ? { cursor } : {}), ...(centre ? { centre } : {}) } });
    tasks.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return tasks;
}

const matterText = (catalog: Catalog, code: string) => {
  const m = matterOf(catalog, code);
  return m ? named(m.name) : code;
};

/** `centre` for a city supervisor, who looks at one centre's queue at a time: the task page reads it from there. */
export function TaskTable({ tasks, catalog, caption, centre }: { tasks: TaskView[]; catalog: Catalog; caption: string; centre?: string }) {
  if (tasks.length === 0) return <p>{st('tasks.empty')}</p>;
  return (
    <table class="staff-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{st('tasks.case')}</th>
          <th scope="col">{st('tasks.matter')}</th>
          <th scope="col">{st('tasks.step')}</th>
          <th scope="col">{st('tasks.due')}</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((task) => (
          <tr key={task.id} class={task.overdue ? 'overdue' : undefined}>
            <td>
              <Link href={staffHref('task', { id: task.id }, centre ? { centre } : {})}>{task.caseId}</Link>
            </td>
            <td>{matterText(catalog, task.matter)}</td>
            <td>{task.kind === 'follow-up' ? st('tasks.followUp') : st(`role.${task.role}`)}</td>
            <td>
              {businessDate(task.dueDate)}
              {task.overdue && <span class="badge badge-overdue">{st('tasks.overdue')}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TasksPage() {
  const session = staffSession()!;
  const city = isCitySupervisor(session);
  const [centre, setCentre] = useState(city ? CENTRE_CODES[0] : undefined);
  const data = useLoad(() => Promise.all([loadCatalog(), pendingTasks(centre)]), [centre]);
  return (
    <Page title={st('tasks.title')}>
      {city && data.data && (
        <div class="field">
          <label for="tasks-centre">{st('dashboard.centre')}</label>
          <select id="tasks-centre" value={centre} onChange={(event) => setCentre(event.currentTarget.value)}>
            {data.data[0].centres.map((c) => (
              <option key={c.code} value={c.code}>
                {named(c.name)}
              </option>
            ))}
          </select>
        </div>
      )}
      {data.error ? <ProblemMessage error={data.error} /> : !data.data ? <Loading /> : <TaskLists catalog={data.data[0]} tasks={data.data[1]} centre={centre} />}
    </Page>
  );
}

function TaskLists({ catalog, tasks, centre }: { catalog: Catalog; tasks: TaskView[]; centre?: string }) {
  const steps = tasks.filter((t) => t.kind !== 'follow-up');
  const followUps = tasks.filter((t) => t.kind === 'follow-up');
  return (
    <>
      <p class="lead">{st('tasks.summary', { count: steps.length, overdue: steps.filter((t) => t.overdue).length })}</p>
      <TaskTable tasks={steps} catalog={catalog} caption={st('tasks.steps')} centre={centre} />
      {followUps.length > 0 && (
        <>
          <h2>{st('tasks.followUps')}</h2>
          <TaskTable tasks={followUps} catalog={catalog} caption={st('tasks.followUps')} centre={centre} />
        </>
      )}
    </>
  );
}

async function findTask(id: string): Promise<TaskView | undefined> {
  const session = staffSession()!;
  const centre = isCitySupervisor(session) ? new URLSearchParams(location.search).get('centre') ?? undefined : undefined;
  return (await pendingTasks(centre)).find((t) => t.id === id);
}

export function TaskPage({ id }: { id: string }) {
  const data = useLoad(() => Promise.all([loadCatalog(), findTask(id)]), [id]);
  const [decided, setDecided] = useState<TaskView>();
  if (data.error) return <ProblemMessage error={data.error} />;
  if (!data.data) return <Loading />;
  const [catalog, task] = data.data;
  if (decided) {
    return (
      <Page title={st('task.decidedTitle')}>
        <p class="success" role="status">
          {decided.kind === 'follow-up' ? st('task.followUpClosed', { id: decided.caseId }) : st(`task.decided.${decided.decision ?? 'approve'}`, { id: decided.caseId })}
        </p>
        <p>
          <Link href={staffHref('tasks')}>{st('task.back')}</Link>
        </p>
      </Page>
    );
  }
  if (!task) {
    return (
      <Page title={st('task.gone')}>
        <p>{st('task.goneDetail')}</p>
        <p>
          <Link href={staffHref('tasks')}>{st('task.back')}</Link>
        </p>
      </Page>
    );
  }
  return <TaskDetail task={task} catalog={catalog} onDecided={setDecided} />;
}

function TaskDetail({ task, catalog, onDecided }: { task: TaskView; catalog: Catalog; onDecided: (t: TaskView) => void }) {
  const [open, setOpen] = useState<string>();
  const c = task.case;
  const matter = matterOf(catalog, task.matter);
  const name = (code: string) => {
    const n = materialName(catalog, task.matter, code);
    return n ? named(n) : code;
  };
  return (
    <Page title={st('task.title', { id: task.caseId, matter: matterText(catalog, task.matter) })}>
      <dl class="facts">
        <dt>{st('tasks.step')}</dt>
        <dd>{task.kind === 'follow-up' ? st('tasks.followUp') : st(`role.${task.role}`)}</dd>
        <dt>{st('tasks.due')}</dt>
        <dd>
          {businessDate(task.dueDate)}
          {task.overdue && <span class="badge badge-overdue">{st('tasks.overdue')}</span>}
        </dd>
        {c && (
          <>
            <dt>{st('task.status')}</dt>
            <dd>
              <StatusBadge kind="case" status={c.status} />
            </dd>
            <dt>{st('task.submittedAt')}</dt>
            <dd>{instant(c.submittedAt)}</dd>
            {c.note && (
              <>
                <dt>{st('task.note')}</dt>
                <dd>{c.note}</dd>
              </>
            )}
            {c.rating && (
              <>
                <dt>{st('task.rating')}</dt>
                <dd>
                  {st('task.ratingValue', { score: c.rating.score })}
                  {c.rating.comment ? `：${c.rating.comment}` : ''}
                </dd>
              </>
            )}
          </>
        )}
      </dl>
      {c && (
        <section aria-labelledby="materials-title">
          <h2 id="materials-title">{st('task.materials')}</h2>
          <ul class="list materials">
            {(matter?.materials ?? []).map((m) => {
              const given = c.materials.find((x) => x.type === m.code);
              return (
                <li key={m.code}>
                  <strong>{named(m.name)}</strong>{' '}
                  {!given ? (
                    <span class="badge badge-returned">{st('task.materialMissing')}</span>
                  ) : 'uploadId' in given ? (
                    <>
                      <span class="badge">{given.verified ? st('task.verified') : st('task.unverified')}</span>{' '}
                      <button type="button" class="button" aria-expanded={open === m.code ? 'true' : 'false'} onClick={() => setOpen(open === m.code ? undefined : m.code)}>
                        {open === m.code ? st('task.hide') : st('task.view', { name: named(m.name) })}
                      </button>
                      {open === m.code && <MaterialViewer caseId={task.caseId} type={m.code} label={named(m.name)} words={{ loading: st('common.loading'), openFull: st('material.openFull', { name: named(m.name) }) }} />}
                    </>
                  ) : (
                    <span class="badge">{st('task.elsewhere', { ref: given.ref })}</span>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {c && (
        <section aria-labelledby="timeline-title">
          <h2 id="timeline-title">{st('task.timeline')}</h2>
          <ol class="timeline">
            {c.history.map((entry, i) => (
              <li key={i}>
                <span class="timeline-when">{instant(entry.at)}</span> <StatusBadge kind="case" status={entry.status} /> {entry.actor}
                {entry.note ? `：${entry.note}` : ''}
              </li>
            ))}
          </ol>
        </section>
      )}
      <DecisionForm task={task} materials={(matter?.materials ?? []).map((m) => ({ code: m.code, name: name(m.code) }))} onDecided={onDecided} />
    </Page>
  );
}

type Decision = 'approve' | 'reject' | 'return';

function DecisionForm({ task, materials, onDecided }: { task: TaskView; materials: { code: string; name: string }[]; onDecided: (t: TaskView) => void }) {
  const followUp = task.kind === 'follow-up';
  const [decision, setDecision] = useState<Decision | undefined>(followUp ? 'approve' : undefined);
  const [missing, setMissing] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [busy, error, run, setError] = useAction();
  const options: Decision[] = followUp ? ['approve'] : ['approve', 'reject', 'return'];
  return (
    <section class="card" aria-labelledby="decision-title">
      <h2 id="decision-title">{followUp ? st('task.closeFollowUp') : st('task.decide')}</h2>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if (!decision) return setError(st('task.pickDecision'));
          if (decision === 'return' && missing.length === 0 && !comment.trim()) return setError(st('task.returnNeedsReason'));
          if (followUp && !comment.trim()) return setError(st('task.followUpNeedsComment'));
          await run(async () => {
            const body = {
              decision,
              ...(comment.trim() ? { comment: comment.trim() } : {}),
              ...(decision === 'return' && missing.length > 0 ? { missingMaterials: missing } : {}),
            };
            onDecided(await call('POST /tasks/{id}/decision', { params: { id: task.id }, body }));
          });
        }}
      >
        {!followUp && (
          <fieldset class="radios">
            <legend>{st('task.decision')}</legend>
            {options.map((d) => (
              <label key={d} class="radio">
                <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />
                {st(`task.decision.${d}`)}
              </label>
            ))}
          </fieldset>
        )}
        {decision === 'return' && (
          <fieldset class="radios">
            <legend>{st('task.missing')}</legend>
            {materials.map((m) => (
              <label key={m.code} class="radio">
                <input
                  type="checkbox"
                  name="missing"
                  value={m.code}
                  checked={missing.includes(m.code)}
                  onChange={(event) => setMissing((list) => (event.currentTarget.checked ? [...list, m.code] : list.filter((x) => x !== m.code)))}
                />
                {m.name}
              </label>
            ))}
          </fieldset>
        )}
        <div class="field">
          <label for="decision-comment">
            {followUp ? st('task.followUpComment') : st('task.comment')}
            {!followUp && <span class="optional">{st('form.optional')}</span>}
          </label>
          <textarea id="decision-comment" value={comment} maxLength={500} onInput={(event) => setComment(event.currentTarget.value)} />
        </div>
        <ProblemMessage error={error} />
        <button type="submit" class="button primary" disabled={busy}>
          {followUp ? st('task.close') : st('task.submit')}
        </button>
      </form>
    </section>
  );
}
