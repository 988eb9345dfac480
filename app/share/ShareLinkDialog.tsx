/** Shows the link "Copy link" made: copied or not, its length, and the text (selected) to copy by hand. */
import { useEffect, useRef } from 'react';
import { Dialog } from '../controls/Dialog.tsx';
import { useLab } from '../store/index.ts';
import { useShare } from './shareStore.ts';
import './share.css';

export function ShareLinkDialog() {
  const link = useShare((s) => s.link);
  const setDialog = useLab((s) => s.setDialog);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const close = () => setDialog(null);
  if (link === null) return null;
  return (
    <Dialog title="Link to this moment" onClose={close} testId="share-link-dialog">
      <p role="status" data-testid="share-link-status" className={link.copied ? 'share-ok' : 'warn-text'}>
        {link.copied
          ? '✓ Copied to the clipboard.'
          : 'The browser did not let the page copy it: select the link below and copy it (Ctrl+C / ⌘C).'}
      </p>
      <p className="muted small">
        Opening it shows this run at this moment: the same scenario, seed, faults, savepoints and restarts,
        the same trace hash, the same panel. {link.url.length.toLocaleString('en-US')} characters.
      </p>
      <textarea
        ref={ref}
        className="share-url"
        readOnly
        rows={4}
        value={link.url}
        aria-label="The link"
        data-testid="share-link-url"
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="dialog-actions">
        <button
          type="button"
          onClick={() => {
            ref.current?.select();
            void navigator.clipboard.writeText(link.url).then(
              () => useShare.getState().setLink({ ...link, copied: true }),
              () => undefined,
            );
          }}
        >
          Copy again
        </button>
        <button type="button" className="primary" onClick={close}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
