// How staff are shown to the resident on a case's history: by the window they work, their name after it,
// or 科室负责人 for a supervisor — never an id, and never a window the catalog does not have.

import { describe, expect, it } from 'vitest';
import { actorNameOf, type Caller } from '../../shared/http/auth.ts';

const clerk = (categories: string[], name?: string): Caller => ({ userId: 'clerk-1', roles: ['staff'], categories, centre: 'zizhuyuan', ...(name ? { name } : {}) });

describe('actorNameOf', () => {
  it("names a clerk of the case's window by that window, with their name", () => {
    expect(actorNameOf(clerk(['employment', 'social-insurance'], '张三'), 'social-insurance')).toBe('社会保险窗口 张三');
  });

  it('names a clerk of another window (通办通理) by their own window', () => {
    expect(actorNameOf(clerk(['employment']), 'social-insurance')).toBe('就业服务窗口');
  });

  it('passes over codes the catalog does not know, down to the case’s window when none is known', () => {
    expect(actorNameOf(clerk(['x-unknown', 'employment']), 'social-insurance')).toBe('就业服务窗口');
    expect(actorNameOf(clerk(['x-unknown']), 'social-insurance')).toBe('社会保险窗口');
    expect(actorNameOf(clerk([]), 'housing-civil')).toBe('住房与民政窗口');
  });

  it('names a supervisor 科室负责人', () => {
    expect(actorNameOf({ userId: 'sup-1', roles: ['supervisor'], categories: [], centre: 'zizhuyuan' }, 'employment')).toBe('科室负责人');
  });
});
