import type { Session } from '../../session.ts';

/** The console's plan section (issue 15): built next. */
export const PlanSection = ({ session }: { session: Session }) => (
  <section class="card" aria-labelledby="section-heading" data-assessment={session.assessmentId}>
    <h2 id="section-heading">แผนและกำหนดการ</h2>
  </section>
);
