// The checks the synthesized platform must pass before anyone deploys it: cdk-nag's AwsSolutions pack
// with every acknowledgement justified, cfn-lint on every template, and asl-validator on every ASL file.

import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_MACHINES } from '../../shared/workflows.ts';
import { platformApp, REPO_ROOT } from './synth.ts';

const ACKNOWLEDGED = 'aws:cdk:acknowledged-rules';

/** asl-validator ships no types: its CommonJS export is this function. */
type AslValidator = (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

type NagRun = { error?: unknown; outdir: string; acknowledgements: { path: string; id: string; reason: string }[] };
// Prod is checked twice: as it synthesizes by default (simulated payments, SNS), and as a mainland deployment
// runs it: both wallets with their secrets, residents texted through Aliyun SMS.
const RUNS = {
  dev: { stage: 'dev' },
  prod: { stage: 'prod' },
  'prod in the mainland': { stage: 'prod', context: { paymentProvider: 'wechatpay,alipay', notifier: 'aliyun' } },
} as const;
const STAGES = Object.keys(RUNS) as (keyof typeof RUNS)[];
const nag = {} as Record<(typeof STAGES)[number], NagRun>;

beforeAll(() => {
  for (const stage of STAGES) {
    const { app, outdir } = platformApp({ ...RUNS[stage], nag: true });
    let error: unknown;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    const acknowledgements = app.node.findAll().flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === ACKNOWLEDGED)
        .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
    );
    nag[stage] = { error, outdir, acknowledgements };
  }
});

afterAll(() => {
  for (const stage of STAGES) rmSync(nag[stage].outdir, { recursive: true, force: true });
});

describe('cdk-nag AwsSolutions', () => {
  for (const stage of STAGES) {
    it(`finds nothing unacknowledged in the ${stage} platform`, () => {
      const report = JSON.parse(readFileSync(join(nag[stage].outdir, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
      expect(report.pluginReports).toEqual([]);
      expect(nag[stage].error).toBeUndefined();
    });

    it(`gives every acknowledgement in ${stage} a reason of its own`, () => {
      expect(nag[stage].acknowledgements.length).toBeGreaterThan(0);
      for (const { path, id, reason } of nag[stage].acknowledgements) {
        expect(id, path).toMatch(/AwsSolutions-/);
        expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(40);
      }
    });
  }

  it('stops the synth on a finding (the check is live: a table without point-in-time recovery fails)', () => {
    const app = new App({ outdir: join(nag.dev.outdir, 'control') });
    new Table(new Stack(app, 'Control'), 'NoPitr', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow();
    expect(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8')).toContain('AwsSolutions-DDB3');
  });
});

type LintFinding = { Level: string; Rule: { Id: string }; Filename: string; Location: { Path: unknown[] }; Message: string };

function cfnLintAvailable(): boolean {
  return spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
}

describe('cfn-lint', () => {
  const available = cfnLintAvailable();
  if (!available) console.warn('cfn-lint test SKIPPED: the cfn-lint binary is not on PATH (it is a Python tool: pip install cfn-lint).');

  it.skipIf(!available)('finds no error in any synthesized template of any run', () => {
    const templates = STAGES.flatMap((stage) =>
      readdirSync(nag[stage].outdir).filter((f) => f.endsWith('.template.json')).map((f) => join(nag[stage].outdir, f)),
    );
    // Eight stacks per stage, for each run of RUNS.
    expect(templates).toHaveLength(STAGES.length * 8);
    // W3005 (redundant DependsOn) is how CDK writes dependencies; the option goes after the files, or it eats them.
    const run = spawnSync('cfn-lint', [...templates, '--format', 'json', '--ignore-checks', 'W3005'], { encoding: 'utf8' });
    const findings = JSON.parse(run.stdout || '[]') as LintFinding[];
    const errors = findings.filter((f) => f.Level === 'Error');
    const describeFinding = (f: LintFinding) => `${f.Rule.Id} ${f.Filename.split('/').pop()} ${f.Location.Path.join('.')}: ${f.Message}`;
    const warnings = findings.filter((f) => f.Level !== 'Error');
    if (warnings.length > 0) console.warn(`cfn-lint warnings:\n${warnings.map(describeFinding).join('\n')}`);

    expect(errors.map(describeFinding)).toEqual([]);
    expect(run.status === 0 || (run.status! & 2) === 0, run.stderr).toBe(true);
    // cfn-lint reads 24 templates in one run: minutes, not seconds, on two shared cores.
  }, 600_000);
});

describe('asl-validator', () => {
  const files = readdirSync(join(REPO_ROOT, 'statemachines')).filter((f) => f.endsWith('.asl.json'));

  it('knows every ASL file from shared/workflows.ts', () => {
    expect(files.map((f) => `statemachines/${f}`).sort()).toEqual(STATE_MACHINES.map((m) => m.file).sort());
  });

  for (const file of files) {
    it(`validates statemachines/${file}`, () => {
      const { isValid, errorsText } = aslValidator(JSON.parse(readFileSync(join(REPO_ROOT, 'statemachines', file), 'utf8')));
      expect(isValid, errorsText('\n')).toBe(true);
    });
  }

  it('rejects an invalid definition (the validator is live)', () => {
    expect(aslValidator({ StartAt: 'Missing', States: {} }).isValid).toBe(false);
  });

  it('runs as the CLI too, on every file', () => {
    const args = files.flatMap((f) => ['--json-path', join(REPO_ROOT, 'statemachines', f)]);
    expect(() => execFileSync(join(REPO_ROOT, 'node_modules/.bin/asl-validator'), args, { encoding: 'utf8' })).not.toThrow();
  });
});
