import type { ComponentType } from 'preact';
import { PageHeading } from '../../components.tsx';
import { CONSOLE_SECTIONS, type ConsoleSection, routeHash } from '../../route.ts';
import type { Session } from '../../session.ts';
import { AgenciesSection } from './agencies.tsx';
import { AuditSection } from './audit.tsx';
import { NotificationsSection } from './notifications.tsx';
import { OitMatrixSection } from './oit.tsx';
import { PeopleSection } from './people.tsx';
import { PlanSection } from './plan.tsx';
import { TasksSection } from './tasks.tsx';

/** The console's sections in the order the seed's steps use them: register, assign, plan, improve, remind, who, what. */
const SECTIONS: Record<ConsoleSection, { label: string; Section: ComponentType<{ session: Session }> }> = {
  agencies: { label: 'ส่วนราชการ', Section: AgenciesSection },
  oit: { label: 'มอบหมายข้อ OIT', Section: OitMatrixSection },
  plan: { label: 'แผนและกำหนดการ', Section: PlanSection },
  tasks: { label: 'วิเคราะห์ผลและงานปรับปรุง', Section: TasksSection },
  notifications: { label: 'การแจ้งเตือน', Section: NotificationsSection },
  people: { label: 'ผู้ใช้งาน', Section: PeopleSection },
  audit: { label: 'ประวัติการทำรายการ', Section: AuditSection },
};

/**
 * The secretariat's console (role `admin`): one page with a section menu. Each section loads its own
 * data when opened, so a slow matrix never delays the agency list.
 */
export const ConsolePage = ({ session, section }: { session: Session; section: ConsoleSection }) => {
  const { label, Section } = SECTIONS[section];
  return (
    <div class="page console">
      <section class="card" aria-labelledby="page-heading">
        <PageHeading>จัดการการประเมิน: {label}</PageHeading>
        <nav aria-label="เมนูจัดการ" class="console-nav">
          {CONSOLE_SECTIONS.map((key) => (
            <a
              key={key}
              href={routeHash({ page: 'console', assessmentId: session.assessmentId, section: key })}
              aria-current={key === section ? 'page' : undefined}
            >
              {SECTIONS[key].label}
            </a>
          ))}
        </nav>
      </section>
      <Section key={section} session={session} />
    </div>
  );
};
