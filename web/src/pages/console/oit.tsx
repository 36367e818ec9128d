import type { Session } from '../../session.ts';

/** The console's oit section (issue 15): built next. */
export const OitMatrixSection = ({ session }: { session: Session }) => (
  <section class="card" aria-labelledby="section-heading" data-assessment={session.assessmentId}>
    <h2 id="section-heading">มอบหมายข้อ OIT</h2>
  </section>
);
