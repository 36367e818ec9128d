import type { Session } from '../../session.ts';

/** The console's agencies section (issue 15): built next. */
export const AgenciesSection = ({ session }: { session: Session }) => (
  <section class="card" aria-labelledby="section-heading" data-assessment={session.assessmentId}>
    <h2 id="section-heading">ส่วนราชการ</h2>
  </section>
);
