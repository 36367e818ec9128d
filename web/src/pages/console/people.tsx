import type { Session } from '../../session.ts';

/** The console's people section (issue 15): built next. */
export const PeopleSection = ({ session }: { session: Session }) => (
  <section class="card" aria-labelledby="section-heading" data-assessment={session.assessmentId}>
    <h2 id="section-heading">ผู้ใช้งาน</h2>
  </section>
);
