/** The top bar's share tools: "Copy link" and "My scenarios" (both entries of the action registry). */
import { action, runAction } from '../actions/registry.ts';
import { useLab } from '../store/index.ts';

function ToolButton({ id, icon, label }: { id: string; icon: string; label: string }) {
  const a = action(id);
  const enabled = useLab((s) => a.enabled(s));
  return (
    <button
      type="button"
      className="share-tool"
      data-action={a.id}
      aria-label={a.label}
      aria-keyshortcuts={a.keys.join(' ')}
      title={`${a.label} (${a.keys.join(' or ')})`}
      disabled={!enabled}
      onClick={() => runAction(a)}
    >
      <svg className="icon" viewBox="0 0 16 16" aria-hidden="true">
        <path d={icon} />
      </svg>
      <span className="label">{label}</span>
    </button>
  );
}

export function ShareTools() {
  return (
    <>
      <ToolButton id="my-scenarios" label="My scenarios" icon="M1.5 3h5l1.5 1.5h6.5v8.5h-13zM3 6v5.5h10V6z" />
      <ToolButton
        id="copy-link"
        label="Copy link"
        icon="M6.5 9.5l3-3M7 4.5l1.5-1.5a2.8 2.8 0 0 1 4 4L11 8.5M9 11.5L7.5 13a2.8 2.8 0 0 1-4-4L5 7.5"
      />
    </>
  );
}
