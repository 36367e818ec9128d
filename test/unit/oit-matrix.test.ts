import { describe, expect, it } from 'vitest';
import { missingEvidence } from '#domain/agency';
import type { OitEvidence } from '#domain/evidence';
import { holdsEvidence, oitMatrix, unassignDeltas } from '#domain/oit-matrix';
import { makeAgency } from '#test/fixtures';
import { shortAgencyName } from '../../web/src/pages/console/oit.tsx';

const NOW = '2024-01-15T02:00:00.000Z';
const evidence = (itemId: string, patch: Partial<OitEvidence> = {}): OitEvidence => ({
  ...missingEvidence('a-2567', 'agency-a', itemId, NOW),
  ...patch,
});

describe('unassigning an OIT item: the rules', () => {
  it('needs a confirmation once anything was submitted, and only then', () => {
    // Act
    const held = {
      missing: holdsEvidence(evidence('o1')),
      submitted: holdsEvidence(evidence('o1', { status: 'submitted', urls: ['https://a.example.org/1'] })),
      rejected: holdsEvidence(evidence('o1', { status: 'rejected', urls: ['https://a.example.org/1'] })),
      approved: holdsEvidence(evidence('o1', { status: 'approved', urls: ['https://a.example.org/1'] })),
      missingWithUrls: holdsEvidence(evidence('o1', { urls: ['https://a.example.org/1'] })),
    };

    // Assess
    expect(held).toEqual({
      missing: false,
      submitted: true,
      rejected: true,
      approved: true,
      missingWithUrls: true,
    });
  });

  it('moves assigned, the counter of the status the item was in, and the dead count by its dead links', () => {
    // Act
    const missing = unassignDeltas('missing', []);
    const approved = unassignDeltas('approved', ['alive', 'dead', 'dead', 'failing']);

    // Assess
    expect(missing).toEqual({ oit: { assigned: -1 }, deadLinks: -0 });
    expect(approved).toEqual({ oit: { assigned: -1, approved: -1 }, deadLinks: -2 });
  });

  it('builds the matrix with cells by agency then item number, agencies by Thai name', () => {
    // Prepare
    const summary = (id: string, nameTh: string) => ({
      assessmentId: 'a-2567',
      agency: { ...makeAgency(id), nameTh },
      oit: { assigned: 2, submitted: 0, approved: 0, rejected: 0 },
      surveys: {
        iit: { tool: 'iit' as const, required: 1, responses: 0, history: [] },
        eit: { tool: 'eit' as const, required: 1, responses: 0, history: [] },
      },
      tasks: {},
      openTasks: 0,
      version: 1,
      updatedAt: NOW,
    });

    // Act
    const matrix = oitMatrix({
      assessmentId: 'a-2567',
      version: 7,
      catalog: [],
      summaries: [summary('agency-b', 'สำนักงานคลังจังหวัด'), summary('agency-a', 'สำนักงานขนส่งจังหวัด')],
      evidence: [evidence('o10'), evidence('o2', { status: 'submitted', urls: ['https://a.example.org/2'] })],
      deadLinksByItem: new Map([['agency-a#o2', 1]]),
    });

    // Assess
    expect(matrix.agencies.map((a) => a.id)).toEqual(['agency-a', 'agency-b']);
    expect(matrix.cells).toEqual([
      { agencyId: 'agency-a', itemId: 'o2', status: 'submitted', urls: 1, hasEvidence: true, deadLinks: 1 },
      { agencyId: 'agency-a', itemId: 'o10', status: 'missing', urls: 0, hasEvidence: false, deadLinks: 0 },
    ]);
  });

  it('shortens an agency name for a column heading without losing what tells it apart', () => {
    // Act and Assess
    expect(shortAgencyName('สำนักงานคลังจังหวัดพัทลุง')).toBe('คลัง');
    expect(shortAgencyName('สำนักงานจังหวัดพัทลุง')).toBe('สนง.จังหวัด');
    expect(shortAgencyName('เรือนจำจังหวัดพัทลุง')).toBe('เรือนจำ');
    expect(shortAgencyName('ที่ว่าการอำเภอเมือง')).toBe('ที่ว่าการอำเภอเมือง');
  });
});
