import { LINK_STATE_ADVICE_TH, LINK_STATE_MARK, LINK_STATE_TH } from '../../shared/domain/labels.ts';
import type { LinkState } from '../../shared/domain/link-watch.ts';
import { thaiDateTime } from './format.ts';
import type { EvidenceLink } from './types.ts';

/** The state of a link in words and a mark (never colour alone); the badge's colour only repeats it. */
export const LinkStateBadge = ({ state }: { state: LinkState }) => (
  <span class={`badge link-${state}`} data-link-badge={state}>
    <span aria-hidden="true">{LINK_STATE_MARK[state]}</span> {LINK_STATE_TH[state]}
  </span>
);

/** Why a link failed, in plain Thai, with the status code when the site answered one. */
const reasonOf = (link: EvidenceLink) =>
  `${link.errorTh ?? LINK_STATE_TH[link.state]}${link.status ? ` (รหัสตอบกลับ ${link.status})` : ''}`;

/**
 * An item's evidence URLs with their health: the state, when it was last checked (BE, Bangkok),
 * and for a failing, dead or blocked link the reason and what to do. Evidence read before the
 * link watch answered `links` shows its URLs without a state.
 */
export const EvidenceLinks = ({
  urls,
  links,
}: {
  urls: readonly string[];
  links?: readonly EvidenceLink[];
}) => {
  const health = new Map((links ?? []).map((l) => [l.url, l]));
  return (
    <ul class="links">
      {urls.map((url) => {
        const link = health.get(url);
        const advice = link ? LINK_STATE_ADVICE_TH[link.state] : undefined;
        const troubled =
          link && (link.state === 'dead' || link.state === 'failing' || link.state === 'blocked');
        return (
          <li key={url} data-link-state={link?.state} class={link ? `link link-${link.state}` : 'link'}>
            <a href={url} target="_blank" rel="noopener noreferrer">
              {url}
            </a>
            {link && (
              <span class="link-health">
                <LinkStateBadge state={link.state} />
                <span class="muted">
                  {link.checkedAt ? ` ตรวจล่าสุด ${thaiDateTime(link.checkedAt)}` : ' ยังไม่เคยตรวจ'}
                </span>
              </span>
            )}
            {troubled && (
              <div class="link-why" data-link-why>
                <p>
                  สาเหตุ: {reasonOf(link)}
                  {link.state === 'dead' && link.deadSince
                    ? ` · เสียตั้งแต่ ${thaiDateTime(link.deadSince)}`
                    : ''}
                </p>
                {advice && <p>สิ่งที่ควรทำ: {advice}</p>}
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
};
