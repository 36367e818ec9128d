import type { Session } from '../../session.ts';

/** The console's audit section (issue 15): built next. */
export const AuditSection = ({ session }: { session: Session }) => (
  <section class="card" aria-labelledby="section-heading" data-assessment={session.assessmentId}>
    <h2 id="section-heading">ประวัติการทำรายการ</h2>
  </section>
);
