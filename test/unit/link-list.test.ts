import { describe, expect, it } from 'vitest';
import { LINK_STATE_MARK, LINK_STATE_TH } from '#domain/labels';
import { deadLinkLine, deadLinkRows, groupLinksByAgency } from '#domain/link-list';
import type { LinkHealth } from '#domain/link-watch';
import { LinkState } from '#domain/link-watch';

const link = (agencyId: string, itemId: string, url: string, health: Partial<LinkHealth> = {}) => ({
  agencyId,
  itemId,
  url,
  state: 'alive' as const,
  consecutiveFailures: 0,
  ...health,
});

const dead = (at: string): Partial<LinkHealth> => ({
  state: 'dead',
  status: 404,
  error: 'http_status',
  consecutiveFailures: 2,
  failingSince: '2024-03-01T01:30:00.000Z',
  deadSince: at,
});

const names = {
  agencies: new Map([
    ['pt-water', 'สำนักงานชลประทานจังหวัดพัทลุง'],
    ['pt-land', 'สำนักงานที่ดินจังหวัดพัทลุง'],
  ]),
  items: new Map([
    ['o2', 'ข้อมูลผู้บริหาร'],
    ['o10', 'แผนการดำเนินงาน'],
  ]),
};

describe('dead links by agency', () => {
  it('groups the links in one state by agency (Thai name order, an agency no longer named kept under its id), items in number order, with names and Thai words', () => {
    // Prepare
    const links = [
      link('pt-water', 'o10', 'https://water.example.org/b', dead('2024-03-02T01:30:00.000Z')),
      link('pt-water', 'o2', 'https://water.example.org/a', dead('2024-03-03T01:30:00.000Z')),
      link('pt-land', 'o2', 'https://land.example.org/a', dead('2024-03-02T01:30:00.000Z')),
      link('pt-land', 'o10', 'https://land.example.org/alive'),
      link('pt-gone', 'o99', 'https://gone.example.org/x', dead('2024-03-02T01:30:00.000Z')),
    ];

    // Act
    const grouped = groupLinksByAgency(links, names, 'dead');

    // Assess
    expect(grouped.total).toBe(4);
    expect(grouped.agencies.map((a) => a.agencyName)).toEqual([
      'สำนักงานชลประทานจังหวัดพัทลุง',
      'สำนักงานที่ดินจังหวัดพัทลุง',
      'pt-gone',
    ]);
    const water = grouped.agencies[0]!;
    expect(water.links.map((l) => [l.itemId, l.itemNameTh, l.stateTh])).toEqual([
      ['o2', 'ข้อมูลผู้บริหาร', 'ลิงก์เสีย'],
      ['o10', 'แผนการดำเนินงาน', 'ลิงก์เสีย'],
    ]);
    expect(groupLinksByAgency(links, names).total).toBe(5);
  });

  it('writes each dead link as one Thai line with its BE date in Bangkok and its reason', () => {
    // Prepare: 20:00 UTC on 1 March is already 2 March in Bangkok.
    const grouped = groupLinksByAgency(
      [link('pt-land', 'o2', 'https://land.example.org/a', dead('2024-03-01T20:00:00.000Z'))],
      names,
      'dead',
    );

    // Act
    const [row] = deadLinkRows(grouped.agencies);

    // Assess
    expect(deadLinkLine(row!)).toBe(
      'สำนักงานที่ดินจังหวัดพัทลุง ข้อ o2 ข้อมูลผู้บริหาร: https://land.example.org/a เสียตั้งแต่ 2 มี.ค. 2567 (เว็บไซต์ตอบกลับว่าไม่พบหน้าหรือเกิดข้อผิดพลาด (รหัสตอบกลับ 404))',
    );
  });

  it('has Thai words and a distinct mark for every link state', () => {
    // Act
    const marks = LinkState.options.map((state) => LINK_STATE_MARK[state]);

    // Assess
    expect(LinkState.options.map((state) => LINK_STATE_TH[state])).toEqual([
      'ยังไม่ได้ตรวจ',
      'ปกติ',
      'กำลังตรวจซ้ำ',
      'ลิงก์เสีย',
      'ระบบไม่อนุญาตให้ตรวจ',
    ]);
    expect(new Set(marks).size).toBe(marks.length);
  });
});
