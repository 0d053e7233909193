import { describe, expect, it } from 'vitest';
import { APPROVAL_ROLES, CATEGORIES, findMatter, MATTERS, publicCatalog } from '../../shared/domain/catalog.ts';
import { CENTRES, centreOfCommunity, COMMUNITY_CODES } from '../../shared/domain/centres.ts';

describe('service catalog', () => {
  it('has the six comprehensive service categories with distinct ticket letters', () => {
    expect(CATEGORIES.map((c) => c.code)).toEqual([
      'social-insurance', 'medical-insurance', 'social-assistance', 'family-health', 'employment', 'housing-civil',
    ]);
    expect(new Set(CATEGORIES.map((c) => c.ticketLetter)).size).toBe(CATEGORIES.length);
  });

  it('puts every matter in an existing category with a known approval chain and a named material list', () => {
    const categories = new Set(CATEGORIES.map((c) => c.code));
    expect(new Set(MATTERS.map((m) => m.code)).size).toBe(MATTERS.length);
    for (const matter of MATTERS) {
      expect(categories.has(matter.category), matter.code).toBe(true);
      expect(matter.approvalChain.length).toBeGreaterThan(0);
      for (const role of matter.approvalChain) expect(APPROVAL_ROLES).toContain(role);
      expect(matter.slaWorkingDays).toBeGreaterThan(0);
      for (const material of matter.materials) expect(material.name.zh, material.code).toBeTruthy();
    }
  });

  it.each([
    ['social-insurance-backpay', 'social-insurance', ['caseworker'], 3, ['id-card', 'labor-contract', 'wage-statement']],
    ['retirement', 'social-insurance', ['caseworker', 'supervisor'], 10, ['id-card', 'personnel-file']],
    ['birth-permit', 'family-health', ['caseworker'], 3, ['id-card', 'marriage-certificate', 'household-register']],
    ['minimum-living-allowance', 'social-assistance', ['caseworker', 'supervisor'], 20, ['id-card', 'household-register', 'income-proof']],
    ['medical-reimbursement', 'medical-insurance', ['caseworker'], 5, ['id-card', 'invoice']],
    ['unemployment-registration', 'employment', ['caseworker'], 1, ['id-card', 'termination-proof']],
  ])('defines %s as API.md says', (code, category, chain, sla, materials) => {
    const matter = findMatter(code)!;
    expect(matter.category).toBe(category);
    expect(matter.approvalChain).toEqual(chain);
    expect(matter.slaWorkingDays).toBe(sla);
    expect(matter.materials.map((m) => m.code)).toEqual(materials);
  });

  it('keeps the review rule out of the public catalog', () => {
    const { matters } = publicCatalog();
    for (const matter of matters) expect(matter).not.toHaveProperty('autoReview');
  });

  it('lists at least two service centres, each with its communities, position, hours and windows', () => {
    const { centres } = publicCatalog();
    expect(centres.length).toBeGreaterThanOrEqual(2);
    for (const centre of centres) {
      expect(centre.communities.length, centre.code).toBeGreaterThanOrEqual(2);
      expect(centre.lat).toBeGreaterThan(18);
      expect(centre.lng).toBeGreaterThan(73);
      expect(centre.sessions.length).toBeGreaterThan(0);
      for (const category of CATEGORIES) expect(centre.windows[category.code], `${centre.code} ${category.code}`).toBeGreaterThan(0);
    }
  });

  it('puts every community in exactly one centre, the demo communities included', () => {
    expect(new Set(COMMUNITY_CODES).size).toBe(COMMUNITY_CODES.length);
    expect(centreOfCommunity('sunshine-garden')?.code).toBe('zizhuyuan');
    expect(centreOfCommunity('zizhuyuan')?.code).toBe('zizhuyuan');
    expect(new Set(CENTRES.map((c) => c.shortCode)).size).toBe(CENTRES.length);
    expect(centreOfCommunity('sunshine-gardens')).toBeUndefined();
  });
});
