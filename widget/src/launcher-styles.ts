/**
 * The page-view CSS: the launcher only. The panel's CSS arrives with the panel. Both are adopted
 * by the shadow root as constructable stylesheets, so nothing reaches the host page and nothing
 * needs 'unsafe-inline'. Colours come in as custom properties (see embed.ts).
 */
export const launcherCss = `:host{all:initial!important;display:block!important}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.l{position:fixed;bottom:max(20px,env(safe-area-inset-bottom));right:max(20px,env(safe-area-inset-right));z-index:2147483000;min-width:56px;height:56px;padding:0 16px;border:0;border-radius:28px;background:var(--p);color:var(--t);cursor:pointer;box-shadow:0 4px 14px #0005;display:flex;align-items:center;justify-content:center;gap:8px;font-size:16px;font-weight:600}
.left .l{right:auto;left:max(20px,env(safe-area-inset-left))}
.l:focus-visible{outline:3px solid var(--t);outline-offset:-6px;box-shadow:0 0 0 3px var(--p),0 0 0 6px #fff,0 4px 14px #0005}
.l svg{width:26px;height:26px;flex:none}
.b{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#b3261e;color:#fff;font-size:13px;line-height:22px;text-align:center}
.b[hidden]{display:none}
@media (prefers-reduced-motion:no-preference){.l{transition:transform .15s}.l:hover{transform:scale(1.05)}}
@media (max-width:480px){.open .l{display:none}}`;
